using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Base of the cmdlets that talk SMTP to relays (Send-RelayMail, Invoke-RelayQueue): the
/// connection settings they share, one transport (so one connection per server) and one outbox
/// per invocation, and the engine's steps queued from any thread and written as -Verbose on the
/// pipeline thread. Connections and the store are closed also when the pipeline is stopped.
/// </summary>
public abstract class RelaySendCmdlet : RelayCmdlet, IDisposable
{
    private RelayDispatcher? dispatcher;
    private MailOpsStore? outboxStore;

    /// <summary>Extra roots to trust besides the system's, such as a company CA.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2[]? TrustedRootCertificate { get; set; }

    /// <summary>Accept any certificate; each result says the check was skipped.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Allow AUTH on a connection without TLS.</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>Seconds one SMTP step may take.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>The name announced in EHLO; by default the machine's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HeloName { get; set; }

    /// <summary>Steps of the engine, written as -Verbose by <see cref="WriteSteps"/>.</summary>
    private protected StepQueue Steps { get; } = new StepQueue();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        Steps.Enabled = VerboseWanted();
    }

    /// <summary>Opens the outbox of the store (once per invocation).</summary>
    private protected RelayOutbox OpenOutbox() => new RelayOutbox(outboxStore ??= MailOpsStore.Open(StorePath));

    /// <summary>This invocation's one dispatcher, over the outbox of -Path (opened on first use).</summary>
    private protected RelayDispatcher GetDispatcher() => dispatcher ?? GetDispatcher(OpenOutbox());

    /// <summary>This invocation's one dispatcher (one transport, so one connection per server,
    /// and one sender thread), over <paramref name="outbox"/>.</summary>
    private protected RelayDispatcher GetDispatcher(RelayOutbox outbox)
    {
        if (dispatcher is not null)
        {
            return dispatcher;
        }

        var options = new RelaySendOptions
        {
            SkipCertificateCheck = SkipCertificateCheck,
            AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            HeloName = HeloName,
            LogProtocol = Steps.Enabled,
        };
        if (TrustedRootCertificate is not null)
        {
            options.AdditionalTrustedRoots.AddRange(TrustedRootCertificate);
        }

        // Without -Verbose no observer: the engines then build no step text at all.
        IRelaySendObserver? observer = Steps.Enabled ? Steps : null;
        dispatcher = new RelayDispatcher(outbox, new RelayTransport(options, observer), observer) { CertificateCheckSkipped = SkipCertificateCheck };
        return dispatcher;
    }

    /// <summary>Writes the queued engine steps. Pipeline thread only.</summary>
    private protected void WriteSteps()
    {
        while (Steps.TryDequeue(out string? line))
        {
            WriteVerbose(line!);
        }
    }

    /// <summary>Lets queued sends end, closes the SMTP connections, then the outbox.</summary>
    private protected virtual void CloseTransport()
    {
        dispatcher?.Dispose();
        dispatcher = null;
        outboxStore?.Dispose();
        outboxStore = null;
    }

    /// <summary>Closes the SMTP connections and the outbox (also when the pipeline stopped).</summary>
    public new void Dispose()
    {
        CloseTransport();
        base.Dispose();
    }

    /// <summary>Collects steps from any thread; the pipeline thread writes them as verbose.</summary>
    private protected sealed class StepQueue : IRelaySendObserver
    {
        private readonly ConcurrentQueue<string> lines = new ConcurrentQueue<string>();

        /// <summary>False when nobody would see the verbose stream: steps are dropped.</summary>
        public bool Enabled { get; set; } = true;

        public void OnStep(string line)
        {
            if (Enabled)
            {
                lines.Enqueue(line);
            }
        }

        public bool TryDequeue(out string? line) => lines.TryDequeue(out line);
    }
}

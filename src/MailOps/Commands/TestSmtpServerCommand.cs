using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using MailOps.Core.Smtp;
using MailOps.Pipeline;

namespace MailOps.Commands;

/// <summary>
/// Test-SmtpServer: the "test connection" button of a mail client, with the answer an admin
/// needs: the stage that failed, the server's reply and what to change. It logs in when given a
/// credential and tries MAIL FROM / RCPT TO when given addresses, but never sends a message.
/// </summary>
/// <remarks>
/// Derives from <see cref="MailOpsCmdlet"/>, not DnsCmdlet: here -Server is the SMTP server
/// (a single name bound from the pipeline), and its name resolution is the system's, as the
/// mail client being diagnosed would do it.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "SmtpServer")]
[OutputType(typeof(SmtpServerTest), typeof(bool))]
public sealed class TestSmtpServerCommand : MailOpsCmdlet
{
    private OrderedWorkQueue<PipelineItem>? queue;

    /// <summary>The SMTP server's name or IP address; the certificate must match this name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = string.Empty;

    /// <summary>The port; by default 465 for SslOnConnect and 587 otherwise.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>How the connection is secured. A string, not the engine's enum, so the module
    /// imports without loading the engine (see IsolatedLoader).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Auto", "None", "StartTls", "StartTlsWhenAvailable", "SslOnConnect", IgnoreCase = true)]
    public string Security { get; set; } = "Auto";

    /// <summary>The login to try (AUTH PLAIN/LOGIN/...). The password is never shown or output.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The name to announce in EHLO; by default the machine's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HeloName { get; set; }

    /// <summary>A sender to try with MAIL FROM (no message is sent).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? From { get; set; }

    /// <summary>Recipients to try with RCPT TO (no message is sent).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? To { get; set; }

    /// <summary>Seconds one step may take before it counts as a timeout.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int TimeoutSec { get; set; } = 15;

    /// <summary>Accept any certificate; the result says the check was skipped.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Extra roots to trust besides the system's, such as a company CA.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2[]? TrustedRootCertificate { get; set; }

    /// <summary>Allow AUTH on a connection without TLS.</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>Return only $true or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>How many servers are tested at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        queue = new OrderedWorkQueue<PipelineItem>(ThrottleLimit);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        PipelineItem? invalid = Validate();
        SmtpTestOptions? options = invalid is null ? CreateOptions() : null;
        string target = Server;
        Func<Task<PipelineItem>> work = invalid is not null
            ? () => Task.FromResult(invalid)
            : () => GuardAsync(() => TestAsync(options!), target);
        WriteItems(queue!.Add(work, CancellationToken));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteItems(queue!.Drain());
        FlushVerbose();
    }

    private PipelineItem? Validate()
    {
        if (!SmtpServerTester.IsValidServerName(Server, out string? reason))
        {
            return PipelineItem.Failure(CreateError(new ArgumentException(reason), ErrorIds.InvalidSmtpServerName, ErrorCategory.InvalidArgument, Server));
        }

        var addresses = new List<string>();
        if (From is not null)
        {
            addresses.Add(From);
        }

        addresses.AddRange(To ?? Array.Empty<string>());
        foreach (string address in addresses)
        {
            if (!SmtpServerTester.IsValidAddress(address, out string? error))
            {
                return PipelineItem.Failure(CreateError(new ArgumentException(error), ErrorIds.InvalidSmtpAddress, ErrorCategory.InvalidArgument, address));
            }
        }

        return null;
    }

    private SmtpTestOptions CreateOptions()
    {
        var options = new SmtpTestOptions
        {
            Server = Server.Trim(),
            Port = Port,
            Security = (SmtpSecurityMode)Enum.Parse(typeof(SmtpSecurityMode), Security, ignoreCase: true),
            Credential = Credential is null || Credential == PSCredential.Empty ? null : Credential.GetNetworkCredential(),
            HeloName = HeloName,
            From = From,
            To = To ?? Array.Empty<string>(),
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            SkipCertificateCheck = SkipCertificateCheck,
            AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
        };
        if (TrustedRootCertificate is not null)
        {
            options.AdditionalTrustedRoots.AddRange(TrustedRootCertificate);
        }

        return options;
    }

    private async Task<PipelineItem> TestAsync(SmtpTestOptions options)
    {
        var steps = new StepCollector();
        SmtpServerTest result = await new SmtpServerTester(steps).TestAsync(options, CancellationToken).ConfigureAwait(false);
        object output = Quiet ? result.Succeeded : result;
        return PipelineItem.Success(output, steps.Lines);
    }

    /// <summary>Collects one test's steps so they are written with its result, in input order.</summary>
    private sealed class StepCollector : ISmtpTestObserver
    {
        private readonly List<string> lines = new List<string>();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return lines.ToArray();
                }
            }
        }

        public void OnStep(string line)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailOps.Core.Dns;
using MailOps.Core.Relay;
using MailOps.Core.Store;
using MailOps.Core.Suppression;

namespace MailOps.Commands;

/// <summary>
/// Send-RelayMail: sends a message through the relay profiles (or one -SmtpServer), through
/// the durable outbox: queued before the SMTP transaction, marked Sent, Deferred (retried by
/// Invoke-RelayQueue) or Failed after it. One connection per server serves the whole pipeline.
/// </summary>
/// <remarks>
/// Pipeline rows bind by property name (Import-Csv with From/To/Subject/Body columns). Messages
/// are sent one at a time in input order: they share connections, and SMTP allows one
/// transaction at a time per connection (RFC 5321 3.3).
/// </remarks>
[Cmdlet(VerbsCommunications.Send, "RelayMail", SupportsShouldProcess = true, DefaultParameterSetName = ProfileSet)]
[OutputType(typeof(RelaySendResult))]
public sealed class SendRelayMailCommand : RelaySendCmdlet
{
    private const string ProfileSet = "Profile";
    private const string ServerSet = "SmtpServer";

    private RelayDispatcher? dispatcher;
    private RelayTargets? targets;
    private RelayDmarcCheck? dmarc;

    /// <summary>The sender: user@domain or "Name &lt;user@domain&gt;".</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string From { get; set; } = string.Empty;

    /// <summary>The recipients; a value with ';' holds several (a CSV cell "a@x;b@x").</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] To { get; set; } = Array.Empty<string>();

    /// <summary>Copy recipients.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public string[]? Cc { get; set; }

    /// <summary>Blind copy recipients: envelope only, no header.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public string[]? Bcc { get; set; }

    /// <summary>Where replies go.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public string[]? ReplyTo { get; set; }

    /// <summary>The subject.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Subject { get; set; } = string.Empty;

    /// <summary>The body: plain text, or HTML with -BodyAsHtml.</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Body { get; set; }

    /// <summary>The body is HTML.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter BodyAsHtml { get; set; }

    /// <summary>Files to attach.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Attachments")]
    [ValidateNotNullOrEmpty]
    public string[]? Attachment { get; set; }

    /// <summary>Transactional (default) or Bulk: picks the relay profiles of that category.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ProfileSet)]
    [ValidateSet("Transactional", "Bulk", IgnoreCase = true)]
    public string Category { get; set; } = "Transactional";

    /// <summary>Send through this profile only (no From rewrite, no failover).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ProfileSet)]
    [ValidateNotNullOrEmpty]
    public string? RelayServer { get; set; }

    /// <summary>Bypass the profiles: send through this server.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServerSet)]
    [ValidateNotNullOrEmpty]
    public string? SmtpServer { get; set; }

    /// <summary>The port of -SmtpServer; by default 465 for SslOnConnect, 25 for None, 587 otherwise.</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>How the -SmtpServer connection is secured.</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [ValidateSet("Auto", "None", "StartTls", "StartTlsWhenAvailable", "SslOnConnect", IgnoreCase = true)]
    public string Security { get; set; } = "Auto";

    /// <summary>The login: for -SmtpServer, or for profiles that store no credential.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Normal, High or Low.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Normal", "High", "Low", IgnoreCase = true)]
    public string Priority { get; set; } = "Normal";

    /// <summary>A PEM private key (RSA of 1024 bits or more, or Ed25519) to DKIM-sign every
    /// message with, relaxed/relaxed (RFC 6376, RFC 8463).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimSigningKey { get; set; }

    /// <summary>The selector whose TXT record at &lt;selector&gt;._domainkey.&lt;domain&gt; holds the public key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimSelector { get; set; }

    /// <summary>The signing domain (d=); by default the From domain after any rewrite, so the
    /// signature aligns for DMARC.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimDomain { get; set; }

    /// <summary>DNS servers for the DMARC check of the From domain (host, IP or ip:port);
    /// by default the system's resolvers.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsServer { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var request = new RelayMailRequest
        {
            From = From,
            To = Split(To),
            Cc = Split(Cc),
            Bcc = Split(Bcc),
            ReplyTo = Split(ReplyTo),
            Subject = Subject ?? string.Empty,
            Body = Body,
            BodyAsHtml = BodyAsHtml,
            Attachments = (Attachment ?? Array.Empty<string>()).Select(a => GetUnresolvedProviderPathFromPSPath(a)).ToArray(),
            Priority = Priority,
        };
        IReadOnlyList<string> recipients;
        try
        {
            // RFC 5322 2.2: refused before anything else, so nothing is queued or sent.
            RelayMailComposer.CheckHeaders(request);
            RelayMailComposer.FormatMailbox(request.From);
            recipients = RelayMailComposer.Recipients(request);
        }
        catch (RelayMailException ex)
        {
            WriteError(CreateMailError(ex));
            return;
        }

        if (!ShouldProcess(string.Join(", ", recipients), $"Send '{request.Subject}' from {request.From} through {SmtpServer ?? RelayServer ?? Category + " relay"}"))
        {
            return;
        }

        try
        {
            Send(request, recipients);
        }
        catch (RelayMailException ex)
        {
            WriteError(CreateMailError(ex));
        }
        catch (RelayProfileException ex)
        {
            WriteError(CreateRelayError(ex, RelayServer));
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(CreateStoreError(ex, StorePath));
        }
        finally
        {
            WriteSteps();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        CloseTransport();
        WriteSteps();
        base.EndProcessing();
    }

    private void Send(RelayMailRequest request, IReadOnlyList<string> recipients)
    {
        RelayCategory category = ParseCategory(Category) ?? RelayCategory.Transactional;
        string headerFrom = RelayMailComposer.FormatMailbox(request.From);
        string originalFrom = headerFrom;
        bool rewritten = false;
        IReadOnlyList<RelayTarget> candidates;
        IReadOnlyList<RelayServer> known = Array.Empty<RelayServer>();
        RelayDefaults? knownDefaults = null;
        if (SmtpServer is not null)
        {
            RelayProfileStore? existing = GetProfiles(create: false);
            if (existing is not null)
            {
                known = Await(existing.GetAsync(CancellationToken));
                knownDefaults = Await(existing.GetDefaultsAsync(CancellationToken));
            }

            RelaySecurity security = ParseSecurity(Security) ?? RelaySecurity.Auto;
            int port = Port != 0 ? Port : RelayServerSettings.DefaultPort(security);
            string name = SmtpServer.Trim() + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            candidates = new[] { new RelayTarget(name, SmtpServer.Trim(), port, security, NetworkCredentialOrNull()) };
        }
        else
        {
            RelayProfileStore? store = GetProfiles(create: false);
            IReadOnlyList<RelayServer> profiles = store is null ? Array.Empty<RelayServer>() : Await(store.GetAsync(CancellationToken));
            known = profiles;
            knownDefaults = store is null ? null : Await(store.GetDefaultsAsync(CancellationToken));
            RelayServer[] chosen;
            if (RelayServer is not null)
            {
                RelayServer? named = profiles.FirstOrDefault(p => string.Equals(p.Name, RelayServer, StringComparison.OrdinalIgnoreCase));
                if (named is null)
                {
                    WriteError(CreateNotFound(RelayServer));
                    return;
                }

                chosen = new[] { named };
            }
            else
            {
                RelayDefaults? defaults = knownDefaults;
                RelayRouteDecision decision;
                try
                {
                    decision = RelayRoute.Choose(profiles, defaults, request.From, category);
                }
                catch (ArgumentException ex)
                {
                    WriteError(CreateError(ex, ErrorIds.InvalidRelayMailAddress, ErrorCategory.InvalidArgument, request.From));
                    return;
                }

                if (!decision.CanSend)
                {
                    WriteError(CreateError(new ItemNotFoundException(decision.Reason), ErrorIds.NoRelayServer, ErrorCategory.ObjectNotFound, request.From));
                    return;
                }

                chosen = decision.Candidates;
                if (decision.FromRewritten)
                {
                    rewritten = true;
                    headerFrom = decision.From;
                    originalFrom = decision.OriginalFrom;
                    WriteWarning(decision.Reason);
                }
            }

            targets ??= new RelayTargets(store!, NetworkCredentialOrNull(), null);
            candidates = Await(targets.ResolveAsync(chosen, CancellationToken));
        }

        if (!rewritten)
        {
            WarnAboutDmarc(headerFrom, known, knownDefaults);
        }

        // Suppressed recipients are skipped before anything is queued (they asked not to get
        // mail, or bounced hard); they are reported as rejected with reason "suppressed".
        var suppressed = new List<RelayRecipientRejection>();
        IReadOnlyList<string> sendTo = recipients;
        SuppressionList? list = GetSuppressionList(create: false);
        if (list is not null)
        {
            bool[] flags = Await(list.IsSuppressedAsync(recipients, CancellationToken));
            sendTo = recipients.Where((r, i) => !flags[i]).ToArray();
            suppressed.AddRange(recipients.Where((r, i) => flags[i]).Select(r => RelayRecipientRejection.ForSuppressed(r)));
            foreach (RelayRecipientRejection skip in suppressed)
            {
                Steps.OnStep($"Skipping {skip.Address}: it is on the suppression list");
            }
        }

        RelayComposedMessage message = RelayMailComposer.Compose(request, headerFrom, originalFrom, rewritten, sendTo);
        if (DkimSigningKey is not null)
        {
            message = message.Signed(GetDkimOptions(headerFrom));
            Steps.OnStep($"Signed with DKIM d={signingDomain ?? DkimDomain} s={DkimSelector}");
        }

        RelaySendResult result = Await(GetDispatcher().SendNewAsync(message, category, candidates, suppressed, CancellationToken));
        WriteSteps();
        WriteOutcome(result);
    }

    private MailOps.Core.Relay.Signing.DkimSigningKey? signingKey;
    private string? signingDomain;

    /// <summary>The signing options for one message: the key is loaded once per invocation; the
    /// domain defaults to the (possibly rewritten) From domain so DKIM aligns (RFC 7489 3.1.1).</summary>
    private MailOps.Core.Relay.Signing.DkimSigningOptions GetDkimOptions(string headerFrom)
    {
        string selector = string.Empty;
        string? selectorError = "-DkimSigningKey needs -DkimSelector, the selector whose TXT record publishes the public key.";
        if (DkimSelector is null || !MailOps.Core.Dkim.DkimSelector.TryNormalize(DkimSelector, out selector, out selectorError))
        {
            string reason = selectorError ?? "invalid selector";
            ThrowTerminatingError(CreateError(new ArgumentException(reason), ErrorIds.InvalidDkimSelector, ErrorCategory.InvalidArgument, DkimSelector));
            throw new InvalidOperationException("unreachable");
        }

        signingKey ??= LoadDkimSigningKey(DkimSigningKey!);
        string? domain = DkimDomain;
        if (domain is null)
        {
            RelayMailbox.TryParse(headerFrom, out RelayMailbox? mailbox, out _);
            domain = mailbox?.Domain;
        }

        if (!MailOps.Core.DomainName.TryNormalize(domain, out string normalized, out string? domainError))
        {
            ThrowTerminatingError(CreateError(new ArgumentException(domainError), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, domain));
        }

        signingDomain = normalized;
        return new MailOps.Core.Relay.Signing.DkimSigningOptions { Domain = normalized, Selector = selector, Key = signingKey };
    }

    private void WarnAboutDmarc(string from, IReadOnlyList<RelayServer> profiles, RelayDefaults? defaults)
    {
        if (!RelayMailbox.TryParse(from, out RelayMailbox? mailbox, out _) || RelayDmarcCheck.IsOwnDomain(profiles, defaults, mailbox!.Domain))
        {
            return;
        }

        if (dmarc is null)
        {
            var options = new DnsResolverOptions { Servers = DnsServer ?? Array.Empty<string>() };
            try
            {
                dmarc = new RelayDmarcCheck(DnsResolverFactory.Create(options, new VerboseDnsObserver(Steps)));
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is System.Net.Sockets.SocketException)
            {
                ThrowTerminatingError(CreateError(ex, ErrorIds.InvalidDnsServer, ErrorCategory.InvalidArgument, DnsServer is null ? null : string.Join(",", DnsServer)));
            }
        }

        string? warning = Await(dmarc!.WarningAsync(mailbox.Domain, CancellationToken));
        WriteSteps();
        if (warning is not null)
        {
            WriteWarning(warning);
        }
    }

    private void WriteOutcome(RelaySendResult result)
    {
        if (result.Status == RelaySendStatus.Deferred)
        {
            WriteWarning($"Message <{result.MessageId}> was deferred (outbox id {result.OutboxId}): {result.Error} Invoke-RelayQueue retries it.");
        }
        else if (result.Status == RelaySendStatus.Failed && result.OutboxId is not null)
        {
            // Every recipient suppressed is the list doing its job: data, not an error.
            WriteError(CreateError(new InvalidOperationException($"Message <{result.MessageId}> failed: {result.Error}"), ErrorIds.RelaySendFailed, ErrorCategory.ProtocolError, result.MessageId));
        }

        WriteObject(result);
    }

    private RelayDispatcher GetDispatcher()
    {
        if (dispatcher is not null)
        {
            return dispatcher;
        }

        dispatcher = CreateDispatcher(OpenOutbox());
        return dispatcher;
    }

    private NetworkCredential? NetworkCredentialOrNull()
        => Credential is null || Credential == PSCredential.Empty ? null : Credential.GetNetworkCredential();

    private ErrorRecord CreateMailError(RelayMailException ex) => ex.Kind switch
    {
        RelayMailErrorKind.HeaderInjection => CreateError(ex, ErrorIds.HeaderInjection, ErrorCategory.InvalidArgument, ex.Target),
        RelayMailErrorKind.AttachmentNotFound => CreateError(ex, ErrorIds.RelayAttachmentNotFound, ErrorCategory.ObjectNotFound, ex.Target),
        _ => CreateError(ex, ErrorIds.InvalidRelayMailAddress, ErrorCategory.InvalidArgument, ex.Target),
    };

    private static string[] Split(string[]? values)
        => (values ?? Array.Empty<string>())
            .Where(v => v is not null)
            .SelectMany(v => v.Split(';'))
            .Select(v => v.Trim())
            .Where(v => v.Length > 0)
            .ToArray();

    private protected override void CloseTransport()
    {
        dispatcher = null;
        base.CloseTransport();
    }

    /// <summary>Shows each DNS question of the DMARC check with -Verbose.</summary>
    private sealed class VerboseDnsObserver : IDnsQueryObserver
    {
        private readonly StepQueue steps;

        public VerboseDnsObserver(StepQueue steps) => this.steps = steps;

        public void OnQuery(DnsAnswer answer, TimeSpan elapsed, bool fromCache)
        {
            if (!fromCache)
            {
                steps.OnStep($"DNS {answer} from {answer.Server ?? "no server"} in {elapsed.TotalMilliseconds:0} ms");
            }
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailOps.Core.Dns;
using MailOps.Core.Relay;
using MailOps.Core.Relay.Signing;
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

    // What this invocation writes, in input order: each row's warnings, then its result or
    // error. A row's SMTP transaction may still run when the next row arrives (the next row is
    // composed and queued meanwhile), so its output waits here until it is known.
    private readonly Queue<RowOutput> outputs = new Queue<RowOutput>();
    private RowOutput? row;

    private RelayTargets? targets;
    private RelayDmarcCheck? dmarc;

    // The profiles and defaults, read once per invocation (not once per row).
    private bool profilesRead;
    private RelayProfileStore? profileStore;
    private IReadOnlyList<RelayServer> profileList = Array.Empty<RelayServer>();
    private RelayDefaults? profileDefaults;

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
    /// message with, relaxed/relaxed (RFC 6376, RFC 8463). Wins over the DKIM settings of the
    /// relay profiles.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimSigningKey { get; set; }

    /// <summary>The selector whose TXT record at &lt;selector&gt;._domainkey.&lt;domain&gt; holds
    /// the public key. Without -DkimSigningKey it replaces the selector of a signing profile.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DkimSelector { get; set; }

    /// <summary>The signing domain (d=); by default the profile's, else the From domain after
    /// any rewrite, so the signature aligns for DMARC.</summary>
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
        row = new RowOutput();
        try
        {
            ProcessRow();
        }
        finally
        {
            outputs.Enqueue(row);
            row = null;
        }

        // One message may stay on the wire while PowerShell binds the next row.
        WriteOutputs(stillRunning: 4);
    }

    private void ProcessRow()
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
            Fail(CreateMailError(ex));
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
        catch (Exception ex) when (ToErrorRecord(ex) is ErrorRecord record)
        {
            Fail(record);
        }
        finally
        {
            WriteSteps();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteOutputs(stillRunning: 0);
        CloseTransport();
        WriteSteps();
        base.EndProcessing();
    }

    /// <summary>
    /// Writes the rows whose outcome is known, in input order, and waits for the oldest
    /// while more than <paramref name="stillRunning"/> sends are outstanding.
    /// </summary>
    private void WriteOutputs(int stillRunning)
    {
        while (outputs.Count > 0)
        {
            RowOutput next = outputs.Peek();
            if (next.Send is not null && !next.Send.IsCompleted && outputs.Count(o => o.Send is not null) <= stillRunning)
            {
                break;
            }

            outputs.Dequeue();
            foreach (string warning in next.Warnings)
            {
                WriteWarning(warning);
            }

            if (next.Error is not null)
            {
                WriteError(next.Error);
            }

            if (next.Send is not null)
            {
                RelaySendResult result;
                try
                {
                    result = Await(next.Send);
                }
                catch (Exception ex) when (ToErrorRecord(ex) is ErrorRecord record)
                {
                    WriteSteps();
                    WriteError(record);
                    continue;
                }

                WriteSteps();
                WriteOutcome(result);
            }
        }
    }

    private ErrorRecord? ToErrorRecord(Exception ex) => ex switch
    {
        RelayMailException mail => CreateMailError(mail),
        RelayProfileException profile => CreateRelayError(profile, RelayServer),
        MailOpsStoreException store => CreateStoreError(store, StorePath),
        _ => null,
    };

    /// <summary>This row's error, written after the rows before it.</summary>
    private void Fail(ErrorRecord record) => row!.Error = record;

    /// <summary>This row's warning, written after the rows before it.</summary>
    private void Warn(string warning) => row!.Warnings.Add(warning);

    /// <summary>Stops the cmdlet, after writing what the rows before this one produced.</summary>
    private void Terminate(ErrorRecord record)
    {
        WriteOutputs(stillRunning: 0);
        ThrowTerminatingError(record);
    }

    /// <summary>The profiles, their defaults and the store, read on first use.</summary>
    private RelayProfileStore? ReadProfiles()
    {
        if (!profilesRead)
        {
            profileStore = GetProfiles(create: false);
            if (profileStore is not null)
            {
                profileList = Await(profileStore.GetAsync(CancellationToken));
                profileDefaults = Await(profileStore.GetDefaultsAsync(CancellationToken));
            }

            profilesRead = true;
        }

        return profileStore;
    }

    private void Send(RelayMailRequest request, IReadOnlyList<string> recipients)
    {
        RelayCategory category = ParseCategory(Category) ?? RelayCategory.Transactional;
        string headerFrom = RelayMailComposer.FormatMailbox(request.From);
        string originalFrom = headerFrom;
        bool rewritten = false;
        IReadOnlyList<RelayTarget> candidates;
        RelayServer[] chosen = Array.Empty<RelayServer>();
        RelayProfileStore? store = ReadProfiles();
        IReadOnlyList<RelayServer> known = profileList;
        RelayDefaults? knownDefaults = profileDefaults;
        if (SmtpServer is not null)
        {
            RelaySecurity security = ParseSecurity(Security) ?? RelaySecurity.Auto;
            int port = Port != 0 ? Port : RelayServerSettings.DefaultPort(security);
            string name = SmtpServer.Trim() + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            candidates = new[] { new RelayTarget(name, SmtpServer.Trim(), port, security, NetworkCredentialOrNull()) };
        }
        else
        {
            IReadOnlyList<RelayServer> profiles = known;
            if (RelayServer is not null)
            {
                RelayServer? named = profiles.FirstOrDefault(p => string.Equals(p.Name, RelayServer, StringComparison.OrdinalIgnoreCase));
                if (named is null)
                {
                    Fail(CreateNotFound(RelayServer));
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
                    Fail(CreateError(ex, ErrorIds.InvalidRelayMailAddress, ErrorCategory.InvalidArgument, request.From));
                    return;
                }

                if (!decision.CanSend)
                {
                    Fail(CreateError(new ItemNotFoundException(decision.Reason), ErrorIds.NoRelayServer, ErrorCategory.ObjectNotFound, request.From));
                    return;
                }

                chosen = decision.Candidates;
                if (decision.FromRewritten)
                {
                    rewritten = true;
                    headerFrom = decision.From;
                    originalFrom = decision.OriginalFrom;
                    Warn(decision.Reason);
                }
            }

            targets ??= new RelayTargets(store!, NetworkCredentialOrNull(), new SecretManagementResolver(this));
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
            DkimSigningOptions options = GetDkimOptions(headerFrom);
            message = message.Signed(options);
            Steps.OnStep($"Signed with DKIM d={options.Domain} s={options.Selector}");
        }
        else if (chosen.FirstOrDefault(p => p.DkimSigningKey is not null) is RelayServer signer)
        {
            // The first candidate that signs decides, and the message is signed here, before it
            // enters the outbox: a failover to another candidate (now or in Invoke-RelayQueue)
            // sends these same signed bytes, whatever that relay's own DKIM settings are.
            DkimSigningOptions? options = GetProfileDkimOptions(signer, headerFrom);
            if (options is null)
            {
                return;
            }

            message = message.Signed(options);
            Steps.OnStep($"Signed with DKIM d={options.Domain} s={options.Selector} (key of relay profile {signer.Name})");
        }

        // Queued in the outbox now; the SMTP transaction follows the previous row's.
        row!.Send = GetDispatcher().SendNewAsync(message, category, candidates, suppressed, CancellationToken);
    }

    private MailOps.Core.Relay.Signing.DkimSigningKey? signingKey;

    // The keys of signing profiles by path, each read once per invocation however many rows it
    // signs; a key that failed keeps its exception, so every row it would sign fails alike.
    private readonly Dictionary<string, (MailOps.Core.Relay.Signing.DkimSigningKey? Key, Exception? Error)> profileKeys
        = new Dictionary<string, (MailOps.Core.Relay.Signing.DkimSigningKey? Key, Exception? Error)>(StringComparer.Ordinal);

    /// <summary>The signing options for one message: the key is loaded once per invocation; the
    /// domain defaults to the (possibly rewritten) From domain so DKIM aligns (RFC 7489 3.1.1).</summary>
    private MailOps.Core.Relay.Signing.DkimSigningOptions GetDkimOptions(string headerFrom)
    {
        if (DkimSelector is null)
        {
            Terminate(CreateError(new ArgumentException("-DkimSigningKey needs -DkimSelector, the selector whose TXT record publishes the public key."), ErrorIds.InvalidDkimSelector, ErrorCategory.InvalidArgument, DkimSelector));
        }

        string selector = NormalizeSelector(DkimSelector!);
        signingKey ??= LoadDkimSigningKey(DkimSigningKey!);
        return SigningOptions(signingKey, selector, DkimDomain, headerFrom);
    }

    /// <summary>
    /// The signing options of <paramref name="profile"/> for one message: its key and selector,
    /// its domain or else the (possibly rewritten) From domain (RFC 7489 3.1.1). -DkimSelector
    /// and -DkimDomain given on the call win over the profile's. Null when the key cannot be
    /// used any more (the row has failed): such a row is never sent unsigned, since the
    /// receiver's DMARC check may depend on the signature.
    /// </summary>
    private DkimSigningOptions? GetProfileDkimOptions(RelayServer profile, string headerFrom)
    {
        string selector = DkimSelector is null ? profile.DkimSelector! : NormalizeSelector(DkimSelector);
        MailOps.Core.Relay.Signing.DkimSigningKey? key = LoadProfileKey(profile);
        return key is null ? null : SigningOptions(key, selector, DkimDomain ?? profile.DkimDomain, headerFrom);
    }

    /// <summary>A -DkimSelector value in normal form; an invalid one stops the cmdlet (every
    /// message would carry it).</summary>
    private string NormalizeSelector(string value)
    {
        if (!MailOps.Core.Dkim.DkimSelector.TryNormalize(value, out string selector, out string? error))
        {
            Terminate(CreateError(new ArgumentException(error ?? "invalid selector"), ErrorIds.InvalidDkimSelector, ErrorCategory.InvalidArgument, value));
        }

        return selector;
    }

    /// <summary>The options for one message: d= is <paramref name="domain"/>, else the (possibly
    /// rewritten) From domain so the signature aligns for DMARC (RFC 7489 3.1.1).</summary>
    private DkimSigningOptions SigningOptions(MailOps.Core.Relay.Signing.DkimSigningKey key, string selector, string? domain, string headerFrom)
    {
        if (domain is null)
        {
            RelayMailbox.TryParse(headerFrom, out RelayMailbox? mailbox, out _);
            domain = mailbox?.Domain;
        }

        if (!MailOps.Core.DomainName.TryNormalize(domain, out string normalized, out string? domainError))
        {
            Terminate(CreateError(new ArgumentException(domainError), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, domain));
        }

        return new DkimSigningOptions { Domain = normalized, Selector = selector, Key = key };
    }

    /// <summary>
    /// The key file of a signing profile, read once per invocation. The file was checked when
    /// the profile was registered, but it may have gone since (deleted, permissions changed,
    /// replaced by a weak key): then the rows it would sign fail with the ErrorIds of
    /// -DkimSigningKey, and rows sent through other profiles go on.
    /// </summary>
    private MailOps.Core.Relay.Signing.DkimSigningKey? LoadProfileKey(RelayServer profile)
    {
        string path = profile.DkimSigningKey!;
        if (!profileKeys.TryGetValue(path, out var loaded))
        {
            try
            {
                loaded = (MailOps.Core.Relay.Signing.DkimSigningKey.FromFile(path), null);
                Steps.OnStep($"Loaded the DKIM key {path} of relay profile {profile.Name}");
            }
            catch (Exception ex) when (ex is DkimSigningKeyException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                loaded = (null, ex);
            }

            profileKeys[path] = loaded;
        }

        if (loaded.Error is null)
        {
            return loaded.Key;
        }

        Exception error = loaded.Error;
        var reported = new InvalidOperationException($"The DKIM signing key of relay profile '{profile.Name}' cannot be used: {error.Message} Replace the file, or change the profile with Set-RelayServer -DkimSigningKey or -ClearDkim.", error);
        Fail(DkimKeyError(error, reported, path)!);
        return null;
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
                Terminate(CreateError(ex, ErrorIds.InvalidDnsServer, ErrorCategory.InvalidArgument, DnsServer is null ? null : string.Join(",", DnsServer)));
            }
        }

        string? warning = Await(dmarc!.WarningAsync(mailbox.Domain, CancellationToken));
        WriteSteps();
        if (warning is not null)
        {
            Warn(warning);
        }
    }

    private void WriteOutcome(RelaySendResult result)
    {
        if (result.RetryOutboxId is not null)
        {
            WriteWarning($"Message <{result.MessageId}> was sent, but {string.Join(", ", result.DeferredRecipients)} refused it for now; a copy for them waits in the outbox (id {result.RetryOutboxId}) and Invoke-RelayQueue retries it.");
        }

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
        // Sends still outstanding when the pipeline stopped end in the base (the dispatcher
        // lets them finish, marked in the outbox); their results are not written any more.
        outputs.Clear();
        base.CloseTransport();
    }

    /// <summary>What one pipeline row writes, in order: warnings, then an error or a send.</summary>
    private sealed class RowOutput
    {
        public List<string> Warnings { get; } = new List<string>();

        public ErrorRecord? Error { get; set; }

        public System.Threading.Tasks.Task<RelaySendResult>? Send { get; set; }
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

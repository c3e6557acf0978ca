using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailOps.Core.Dns;

namespace MailOps.Core.MtaSts;

/// <summary>
/// Fetches https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt with a deliberately small HTTP/1.1
/// client: the host name is resolved through MailOps' own DNS layer (so -Server governs it, as it
/// governs every other lookup), the TLS certificate is validated for that host name, and nothing
/// is followed or cached (RFC 8461 section 3.3). netstandard2.0's HttpClient cannot connect to an
/// address of our choosing while sending the host name as SNI, hence the hand-written client.
/// Every failure becomes a result, never an exception (cancellation aside).
/// </summary>
internal sealed class MtaStsPolicyFetcher
{
    /// <summary>RFC 8461 section 3.3: the well-known path of the policy.</summary>
    public const string PolicyPath = "/.well-known/mta-sts.txt";

    private static readonly string UserAgent = "MailOps/" + typeof(MtaStsPolicyFetcher).Assembly.GetName().Version?.ToString(3);

    private readonly IDnsResolver resolver;
    private readonly MtaStsFetchOptions options;

    public MtaStsPolicyFetcher(IDnsResolver resolver, MtaStsFetchOptions options)
    {
        this.resolver = resolver;
        this.options = options;
    }

    public async Task<MtaStsFetchResult> FetchAsync(string host, CancellationToken cancellationToken)
    {
        var result = new MtaStsFetchResult();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await FetchCoreAsync(host, result, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(result, MtaStsFetchFailure.Timeout, $"The policy fetch from {host} did not finish within {options.Timeout.TotalSeconds:0.#} seconds.");
        }
        catch (ObjectDisposedException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The timeout disposed the socket under a pending read (netstandard2.0 reads ignore tokens).
            Fail(result, MtaStsFetchFailure.Timeout, $"The policy fetch from {host} did not finish within {options.Timeout.TotalSeconds:0.#} seconds.");
        }

        return result;
    }

    private async Task FetchCoreAsync(string host, MtaStsFetchResult result, CancellationToken token)
    {
        IReadOnlyList<IPAddress> addresses = await ResolveAsync(host, result, token).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            return;
        }

        foreach (IPAddress address in addresses)
        {
            result.Address = address;
            using var client = new TcpClient(address.AddressFamily);
            using CancellationTokenRegistration closeOnCancel = token.Register(() => client.Dispose());
            string endpoint = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{options.Port}" : $"{address}:{options.Port}";
            result.Trace.Add($"MTA-STS: connecting to {endpoint} for {host}");
            try
            {
                await client.ConnectAsync(address, options.Port).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                token.ThrowIfCancellationRequested();
                Fail(result, MtaStsFetchFailure.Connect, $"Could not connect to {host} at {endpoint}: {e.Message}");
                continue;
            }

            token.ThrowIfCancellationRequested();
            await ExchangeAsync(host, client.GetStream(), result, token).ConfigureAwait(false);
            return;
        }
    }

    private async Task ExchangeAsync(string host, Stream network, MtaStsFetchResult result, CancellationToken token)
    {
        var validation = new CertificateValidation(host, options.AdditionalTrustedRoots);
        using var tls = new SslStream(network, false, validation.Validate);
        try
        {
            // RFC 8461 section 3.3: the certificate must be valid for mta-sts.<domain>, sent as SNI.
            await tls.AuthenticateAsClientAsync(host).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException || e is IOException)
        {
            token.ThrowIfCancellationRequested();
            if (validation.Problem is not null)
            {
                Fail(result, MtaStsFetchFailure.Certificate, validation.Problem);
            }
            else
            {
                Fail(result, MtaStsFetchFailure.Tls, $"The TLS handshake with {host} failed: {Describe(e)}");
            }

            return;
        }

        result.Trace.Add($"MTA-STS: TLS ({tls.SslProtocol}) with {host}; certificate {validation.Subject}, issued by {validation.Issuer}, valid until {validation.NotAfter}");

        // RFC 8461 section 3.3: a plain GET; no redirects, no caching, no content codings.
        string request = "GET " + PolicyPath + " HTTP/1.1\r\n"
            + "Host: " + host + "\r\n"
            + "User-Agent: " + UserAgent + "\r\n"
            + "Accept: text/plain\r\n"
            + "Connection: close\r\n\r\n";
        byte[] bytes = Encoding.ASCII.GetBytes(request);
        try
        {
            await tls.WriteAsync(bytes, 0, bytes.Length, token).ConfigureAwait(false);
            await tls.FlushAsync(token).ConfigureAwait(false);
            HttpResponse response = await HttpResponseReader.ReadAsync(tls, options.MaxBodyBytes, token).ConfigureAwait(false);
            result.Response = response;
            result.Failure = MtaStsFetchFailure.None;
            result.Error = null;
            result.Trace.Add(string.Format(
                CultureInfo.InvariantCulture,
                "MTA-STS: {0} {1} {2}, Content-Type {3}, {4} byte(s)",
                response.Version,
                response.StatusCode,
                response.ReasonPhrase,
                response.Header("Content-Type") ?? "(none)",
                response.Body.Length));
        }
        catch (HttpResponseFormatException e)
        {
            Fail(result, MtaStsFetchFailure.Protocol, $"{host} sent an invalid HTTP response: {e.Message}");
        }
        catch (IOException e)
        {
            token.ThrowIfCancellationRequested();
            Fail(result, MtaStsFetchFailure.Protocol, $"The connection to {host} failed during the request: {Describe(e)}");
        }
    }

    private async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, MtaStsFetchResult result, CancellationToken token)
    {
        // A first, AAAA only when there is no A: most policy hosts are reachable over IPv4.
        DnsAnswer a = await resolver.QueryAsync(host, DnsRecordType.A, token).ConfigureAwait(false);
        IPAddress[] addresses = a.RecordsOf<DnsAddressRecord>().Select(r => r.Address).ToArray();
        if (addresses.Length > 0)
        {
            return addresses;
        }

        DnsAnswer aaaa = await resolver.QueryAsync(host, DnsRecordType.AAAA, token).ConfigureAwait(false);
        addresses = aaaa.RecordsOf<DnsAddressRecord>().Select(r => r.Address).ToArray();
        if (addresses.Length > 0)
        {
            return addresses;
        }

        DnsAnswer? failure = a.IsFailure ? a : aaaa.IsFailure ? aaaa : null;
        Fail(result, MtaStsFetchFailure.Dns, failure is not null
            ? $"The address lookup of the policy host {host} failed ({failure.Outcome}: {failure.Error})."
            : $"The policy host {host} has no A or AAAA record{(a.Outcome == DnsOutcome.NxDomain ? " (NXDOMAIN)" : string.Empty)}; publish one for the web server that serves the policy.");
        return addresses;
    }

    private static void Fail(MtaStsFetchResult result, MtaStsFetchFailure failure, string error)
    {
        result.Failure = failure;
        result.Error = error;
        result.Trace.Add("MTA-STS: " + error);
    }

    private static string Describe(Exception e)
        => e.InnerException is null ? e.Message : e.Message + " (" + e.InnerException.Message + ")";

    /// <summary>
    /// Validates the server certificate for the policy host: the system's verdict, or, when only
    /// the chain failed and extra roots were given, a chain built to one of those roots. A wrong
    /// name is never forgiven. Records why validation failed for the finding.
    /// </summary>
    private sealed class CertificateValidation
    {
        private readonly string host;
        private readonly X509Certificate2Collection roots;

        public CertificateValidation(string host, X509Certificate2Collection? roots)
        {
            this.host = host;
            this.roots = roots ?? new X509Certificate2Collection();
        }

        public string? Problem { get; private set; }

        public string Subject { get; private set; } = "(none)";

        public string Issuer { get; private set; } = "(none)";

        public string NotAfter { get; private set; } = "(unknown)";

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is null)
            {
                Problem = $"{host} presented no certificate (RFC 8461 section 3.3 requires one valid for the host).";
                return false;
            }

            using var leaf = new X509Certificate2(certificate);
            Subject = leaf.Subject;
            Issuer = leaf.Issuer;
            NotAfter = leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                string names = string.Join(", ", DnsNames(leaf));
                Problem = $"The certificate of {host} is not valid for that name (it is for {(names.Length == 0 ? leaf.Subject : names)}); RFC 8461 section 3.3 requires a certificate for mta-sts.<domain>. Reissue it with {host} as a subject alternative name.";
                return false;
            }

            if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                Problem = $"The certificate of {host} was rejected: {errors}.";
                return false;
            }

            string? reason = null;
            if (roots.Count > 0 && TryChainToExtraRoot(leaf, chain, out reason))
            {
                return true;
            }

            string status = chain is null ? string.Empty : Describe(chain.ChainStatus);
            Problem = $"The certificate of {host} ({leaf.Subject}, issued by {leaf.Issuer}) does not validate: {(roots.Count > 0 && reason is not null ? reason : status.Length > 0 ? status : "untrusted chain")}. Senders will not use the policy (RFC 8461 section 3.3); use a certificate from a public CA{(roots.Count == 0 ? ", or pass an internal CA with -TrustedRootCertificate" : string.Empty)}.";
            return false;
        }

        private bool TryChainToExtraRoot(X509Certificate2 leaf, X509Chain? presented, out string? reason)
        {
            if (MailOps.Core.Tls.ExtraRootChain.Validate(leaf, presented, roots, out X509ChainStatus[] problems, out bool anchored))
            {
                reason = null;
                return true;
            }

            reason = problems.Length > 0 ? Describe(problems) : anchored ? "the chain does not build" : "it does not chain to a trusted root or to a -TrustedRootCertificate";
            return false;
        }

        private static string Describe(X509ChainStatus[] statuses)
            => string.Join("; ", statuses.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => string.IsNullOrWhiteSpace(s.StatusInformation) ? s.Status.ToString() : s.Status + " (" + s.StatusInformation.Trim() + ")"));

        private static IEnumerable<string> DnsNames(X509Certificate2 certificate)
        {
            // Subject Alternative Name (2.5.29.17); the formatted text is "DNS Name=x" on Windows, "DNS:x" elsewhere.
            foreach (X509Extension extension in certificate.Extensions)
            {
                if (extension.Oid?.Value != "2.5.29.17")
                {
                    continue;
                }

                string text = extension.Format(false);
                foreach (string part in text.Split(new[] { ',', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    string item = part.Trim();
                    int separator = item.StartsWith("DNS Name=", StringComparison.Ordinal) ? 9 : item.StartsWith("DNS:", StringComparison.Ordinal) ? 4 : -1;
                    if (separator > 0)
                    {
                        yield return item.Substring(separator);
                    }
                }
            }
        }
    }
}

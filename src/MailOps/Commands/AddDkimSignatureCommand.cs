using System;
using System.IO;
using System.Management.Automation;
using MailOps.Core;
using MailOps.Core.Dkim;
using MailOps.Core.Relay.Signing;

namespace MailOps.Commands;

/// <summary>
/// Add-DkimSignature: signs a saved message (.eml) with a DKIM key and writes the signed copy,
/// so an admin can try a key and a selector (and check them with Test-MailMessage) before
/// Send-RelayMail signs real mail with them. The same engine signs in both.
/// </summary>
[Cmdlet(VerbsCommon.Add, "DkimSignature", SupportsShouldProcess = true)]
[OutputType(typeof(DkimSigningResult))]
public sealed class AddDkimSignatureCommand : MailOpsCmdlet
{
    private DkimSigningOptions? options;

    /// <summary>The message file to sign (RFC 5322). Binds FullName from Get-ChildItem.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Where to write the signed message: a file, or an existing folder (the source's
    /// file name is kept).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>The signing domain (d=); align it with the From domain for DMARC.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = string.Empty;

    /// <summary>The selector (s=): the key record is at &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Selector { get; set; } = string.Empty;

    /// <summary>The private key file: RSA PKCS#1/PKCS#8 PEM, Ed25519 PKCS#8 PEM or a raw base64 Ed25519 seed.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>rsa-sha256 or ed25519-sha256; default: the one of the key's type.</summary>
    [Parameter]
    [ValidateSet("rsa-sha256", "ed25519-sha256", IgnoreCase = true)]
    public string? Algorithm { get; set; }

    /// <summary>Header canonicalization (c= first half); Relaxed by default.</summary>
    [Parameter]
    [ValidateSet("relaxed", "simple", IgnoreCase = true)]
    public string HeaderCanonicalization { get; set; } = "relaxed";

    /// <summary>Body canonicalization (c= second half); Relaxed by default.</summary>
    [Parameter]
    [ValidateSet("relaxed", "simple", IgnoreCase = true)]
    public string BodyCanonicalization { get; set; } = "relaxed";

    /// <summary>Header fields to sign, exactly as given (From is always added); default: the
    /// usual set, those present in the message.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Headers { get; set; }

    /// <summary>Overwrite an existing destination file (also needed to sign a file in place).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (!DomainName.TryNormalize(Domain, out string domain, out string? domainError))
        {
            ThrowTerminatingError(CreateError(new ArgumentException(domainError), ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, Domain));
        }

        if (!DkimSelector.TryNormalize(Selector, out string selector, out string? selectorError))
        {
            ThrowTerminatingError(CreateError(new ArgumentException(selectorError), ErrorIds.InvalidDkimSelector, ErrorCategory.InvalidArgument, Selector));
        }

        DkimSigningKey key = LoadKey();
        DkimSigningAlgorithm? algorithm = Algorithm is null ? null
            : string.Equals(Algorithm, "ed25519-sha256", StringComparison.OrdinalIgnoreCase) ? DkimSigningAlgorithm.Ed25519Sha256 : DkimSigningAlgorithm.RsaSha256;
        if (algorithm is not null && algorithm != key.DefaultAlgorithm)
        {
            ThrowTerminatingError(CreateError(new ArgumentException($"-Algorithm {Algorithm} needs an {(algorithm == DkimSigningAlgorithm.RsaSha256 ? "RSA" : "Ed25519")} key, but '{KeyPath}' holds an {key.KeyType} key."),
                ErrorIds.DkimKeyAlgorithmMismatch, ErrorCategory.InvalidArgument, KeyPath));
        }

        options = new DkimSigningOptions
        {
            Domain = domain,
            Selector = selector,
            Key = key,
            Algorithm = algorithm,
            HeaderCanonicalization = ParseCanonicalization(HeaderCanonicalization),
            BodyCanonicalization = ParseCanonicalization(BodyCanonicalization),
            Headers = Headers,
        };
        WriteVerbose($"DKIM key {KeyPath}: {key.KeyType} {key.KeySize} bits; publish at {selector}._domainkey.{domain}: {key.PublicKeyRecord}");
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string source = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (Directory.Exists(source))
        {
            WriteError(CreateError(new ArgumentException($"'{source}' is a directory, not a message file."), ErrorIds.InvalidMessageFile, ErrorCategory.InvalidArgument, source));
            return;
        }

        if (!File.Exists(source))
        {
            WriteError(CreateError(new FileNotFoundException($"The file '{source}' does not exist.", source), ErrorIds.MessageFileNotFound, ErrorCategory.ObjectNotFound, source));
            return;
        }

        string destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
        if (Directory.Exists(destination))
        {
            destination = System.IO.Path.Combine(destination, System.IO.Path.GetFileName(source));
        }

        if (File.Exists(destination) && !Force)
        {
            WriteError(CreateError(new IOException($"The file '{destination}' already exists. Use -Force to overwrite it."), ErrorIds.DkimDestinationExists, ErrorCategory.ResourceExists, destination));
            return;
        }

        string algorithm = (options!.Algorithm ?? options.Key!.DefaultAlgorithm) == DkimSigningAlgorithm.RsaSha256 ? "rsa-sha256" : "ed25519-sha256";
        if (!ShouldProcess(destination, $"Add DKIM signature d={options.Domain} s={options.Selector} a={algorithm} to '{source}'"))
        {
            return;
        }

        try
        {
            DkimSigningResult result = DkimMessageSigner.SignFile(source, destination, options, overwrite: Force);
            WriteVerbose($"Signed {source} -> {destination}: h={string.Join(":", result.SignedHeaders)} bh={result.BodyHash}");
            WriteObject(result);
        }
        catch (FormatException ex)
        {
            WriteError(CreateError(ex, ErrorIds.InvalidMessageFile, ErrorCategory.InvalidData, source));
        }
        catch (ArgumentException ex)
        {
            WriteError(CreateError(ex, ErrorIds.InvalidDkimHeaderList, ErrorCategory.InvalidArgument, Headers is null ? null : string.Join(",", Headers)));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            bool readFailed = !CanRead(source);
            WriteError(readFailed
                ? CreateError(ex, ErrorIds.MessageFileReadFailed, ErrorCategory.ReadError, source)
                : CreateError(ex, ErrorIds.DkimSignatureWriteFailed, ErrorCategory.WriteError, destination));
        }
    }

    private DkimSigningKey LoadKey() => LoadDkimSigningKey(KeyPath);

    // Strings, not the engine's enum: PowerShell reads parameter types when it imports the
    // module, before MailOps.Core can be resolved from the private load context.
    private static DkimCanonicalization ParseCanonicalization(string value)
        => string.Equals(value, "simple", StringComparison.OrdinalIgnoreCase) ? DkimCanonicalization.Simple : DkimCanonicalization.Relaxed;

    private static bool CanRead(string path)
    {
        try
        {
            using (File.OpenRead(path))
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return false;
        }
    }
}

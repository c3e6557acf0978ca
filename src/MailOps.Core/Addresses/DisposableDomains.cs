using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MailOps.Core.Addresses;

/// <summary>
/// Disposable (throw-away) mailbox providers: the shipped disposable-domains.txt by default. A
/// small list of well-known services, kept built in so the check needs no network; a domain
/// matches when it is listed or is a subdomain of a listed one (those services hand out
/// per-user subdomains).
/// </summary>
public sealed class DisposableDomains
{
    internal const string ResourceFile = "disposable-domains.txt";

    private static readonly Lazy<DisposableDomains> DefaultList = new Lazy<DisposableDomains>(() =>
    {
        using Stream stream = DomainListReader.Open(ResourceFile);
        using var reader = new StreamReader(stream);
        return Parse(reader);
    });

    private readonly HashSet<string> names;

    private DisposableDomains(IEnumerable<string> domains)
    {
        names = new HashSet<string>(domains, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The shipped list.</summary>
    public static DisposableDomains Default => DefaultList.Value;

    /// <summary>How many domains are listed.</summary>
    public int Count => names.Count;

    /// <summary>Reads a list in the disposable-domains.txt format (one domain per line).</summary>
    /// <exception cref="FormatException">A line does not start with a mail domain.</exception>
    public static DisposableDomains Parse(TextReader reader)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        return new DisposableDomains(DomainListReader.Read(reader).Select(e => e.Domain));
    }

    /// <summary>True when <paramref name="domain"/> (A-label, any case) or one of its parent
    /// domains is listed.</summary>
    public bool IsDisposable(string? domain)
    {
        string name = (domain ?? string.Empty).Trim().TrimEnd('.');
        while (name.Length > 0)
        {
            if (names.Contains(name))
            {
                return true;
            }

            int dot = name.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            name = name.Substring(dot + 1);
        }

        return false;
    }
}

using System;
using System.Collections.Generic;
using System.IO;

namespace MailOps.Core.Addresses;

/// <summary>
/// Reads the domain-list format of the address data files (known-mail-domains.txt,
/// disposable-domains.txt): one domain per line, then optional flags, "#" comment lines.
/// </summary>
internal static class DomainListReader
{
    /// <summary>One line: the domain (lower case) and the flags after it.</summary>
    internal readonly struct Entry
    {
        public Entry(string domain, string[] flags)
        {
            Domain = domain;
            Flags = flags;
        }

        public string Domain { get; }

        public string[] Flags { get; }
    }

    public static List<Entry> Read(TextReader reader)
    {
        var entries = new List<Entry>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string text = line.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            string[] parts = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (EmailAddressSyntax.CheckDomainName(parts[0], out string domain) is string error)
            {
                throw new FormatException($"'{parts[0]}' in a domain list is not a mail domain: {error}");
            }

            string[] flags = new string[parts.Length - 1];
            Array.Copy(parts, 1, flags, 0, flags.Length);
            entries.Add(new Entry(domain, flags));
        }

        return entries;
    }

    public static Stream Open(string fileName)
    {
        string name = "MailOps.Core.Resources." + fileName;
        return typeof(DomainListReader).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from MailOps.Core.");
    }
}

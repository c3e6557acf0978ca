using System;
using System.Net;
using System.Text.RegularExpressions;

namespace MailOps.Core.Messages;

/// <summary>
/// Reads the connecting client out of a Received header (RFC 5321 section 4.4): the "from"
/// clause names the HELO and, in the comment the receiving MTA adds, the address it saw, in the
/// forms MTAs write: Postfix/Gmail "from helo (rdns [192.0.2.1])", Exim
/// "from rdns ([192.0.2.1] helo=name)", Microsoft "from name (2001:db8::1)", a bare
/// "from [192.0.2.1]". Only the text before " by " is looked at, so the receiver's own
/// address is never mistaken for the client's.
/// </summary>
public static class ReceivedHeader
{
    private static readonly Regex FromClause = new Regex(
        @"^\s*from\s+(?<helo>\S+)(?<rest>.*?)(?:\s+by\s|\s*;|$)",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private static readonly Regex HeloTag = new Regex(@"helo\s*=\s*(?<helo>[^\s)\]]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Parses one Received header value (unfolded). False when it has no "from" clause
    /// with an address.</summary>
    public static bool TryParse(string? value, out IPAddress? address, out string? heloName)
    {
        address = null;
        heloName = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        string text = Regex.Replace(value!, @"\s+", " ");
        Match match = FromClause.Match(text);
        if (!match.Success)
        {
            return false;
        }

        string helo = match.Groups["helo"].Value;
        string rest = match.Groups["rest"].Value;

        // A bracketed literal as the HELO ("from [192.0.2.1]") is also the address.
        if (TryAddress(helo, out IPAddress? literal))
        {
            address = literal;
            helo = helo.Trim('[', ']');
        }

        Match tag = HeloTag.Match(rest);
        heloName = tag.Success ? tag.Groups["helo"].Value : helo;
        heloName = heloName.TrimEnd('.');

        if (address is null)
        {
            foreach (string token in rest.Split(new[] { ' ', '(', ')', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryAddress(token, out IPAddress? found))
                {
                    address = found;
                    break;
                }
            }
        }

        return address is not null;
    }

    /// <summary>"[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1" or "2001:db8::1" as an address.</summary>
    private static bool TryAddress(string token, out IPAddress? address)
    {
        address = null;
        string t = token.Trim().TrimEnd('.', ';', ',');
        bool bracketed = t.StartsWith("[", StringComparison.Ordinal) && t.EndsWith("]", StringComparison.Ordinal);
        if (bracketed)
        {
            t = t.Substring(1, t.Length - 2);
        }

        if (t.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            t = t.Substring(5);
        }

        // A bare token must look like an address, so a host name made of hex digits is not read as one.
        if (!bracketed && t.IndexOf('.') < 0 && t.IndexOf(':') < 0)
        {
            return false;
        }

        if (IPAddress.TryParse(t, out IPAddress? parsed) && (t.IndexOf(':') >= 0 || t.Split('.').Length == 4))
        {
            address = parsed;
            return true;
        }

        return false;
    }
}

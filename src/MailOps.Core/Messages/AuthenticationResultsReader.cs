using System.Collections.Generic;
using System.Linq;
using MimeKit;
using MimeKit.Cryptography;

namespace MailOps.Core.Messages;

/// <summary>
/// Reads the Authentication-Results headers of a message (RFC 8601) with MimeKit's parser and
/// flattens them into <see cref="MessageAuthenticationResult"/> items, top-most header first.
/// A header that does not parse is skipped: it is evidence, not input that must be valid.
/// </summary>
internal static class AuthenticationResultsReader
{
    public static MessageAuthenticationResult[] Read(HeaderList headers)
    {
        var results = new List<MessageAuthenticationResult>();
        foreach (Header header in headers.Where(h => h.Id == HeaderId.AuthenticationResults))
        {
            if (!AuthenticationResults.TryParse(header.RawValue, out AuthenticationResults? parsed) || parsed is null)
            {
                continue;
            }

            string authServId = parsed.AuthenticationServiceIdentifier ?? string.Empty;
            foreach (AuthenticationMethodResult method in parsed.Results)
            {
                AuthenticationResultProperty[] properties = method.Properties
                    .Select(p => new AuthenticationResultProperty(p.PropertyType ?? string.Empty, p.Property ?? string.Empty, p.Value ?? string.Empty))
                    .ToArray();
                results.Add(new MessageAuthenticationResult(authServId, (method.Method ?? string.Empty).ToLowerInvariant(), method.Result?.ToLowerInvariant(), method.Reason, properties));
            }
        }

        return results.ToArray();
    }
}

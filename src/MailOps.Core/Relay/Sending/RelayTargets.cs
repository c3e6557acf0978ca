using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailOps.Core.Relay;

/// <summary>
/// Turns route candidates into <see cref="RelayTarget"/>s with their credentials, resolving
/// each profile's secret once per invocation (a pipeline of a thousand rows decrypts a DPAPI
/// password once, not a thousand times).
/// </summary>
public sealed class RelayTargets
{
    private readonly RelayProfileStore profiles;
    private readonly NetworkCredential? fallback;
    private readonly IRelaySecretResolver? secrets;
    private readonly Dictionary<string, RelayTarget> resolved = new Dictionary<string, RelayTarget>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the resolver. <paramref name="fallback"/> is the -Credential given at
    /// send time, used for profiles that store none.</summary>
    public RelayTargets(RelayProfileStore profiles, NetworkCredential? fallback, IRelaySecretResolver? secrets)
    {
        this.profiles = profiles ?? throw new ArgumentNullException(nameof(profiles));
        this.fallback = fallback;
        this.secrets = secrets;
    }

    /// <summary>The targets for <paramref name="candidates"/>, in the same order.</summary>
    /// <exception cref="RelayProfileException">A profile's stored credential cannot be read here.</exception>
    public async Task<IReadOnlyList<RelayTarget>> ResolveAsync(IReadOnlyList<RelayServer> candidates, CancellationToken cancellationToken)
    {
        var targets = new List<RelayTarget>(candidates.Count);
        foreach (RelayServer profile in candidates)
        {
            if (!resolved.TryGetValue(profile.Name, out RelayTarget? target))
            {
                NetworkCredential? credential = await profiles.GetCredentialAsync(profile, secrets, cancellationToken).ConfigureAwait(false) ?? fallback;
                target = new RelayTarget(profile.Name, profile.Server, profile.Port, profile.Security, credential);
                resolved[profile.Name] = target;
            }

            targets.Add(target);
        }

        return targets;
    }
}

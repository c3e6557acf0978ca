using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace MailOps.Core.Relay;

/// <summary>
/// Windows DPAPI for the current user (CryptProtectData / CryptUnprotectData in crypt32.dll):
/// the key derives from the user's logon secret, so only the same user on the same machine
/// (or with a roaming profile) can decrypt. System.Security.Cryptography.ProtectedData would
/// wrap the same calls, but it is a separate package this module does not ship.
/// </summary>
/// <remarks>Only constructed on Windows (<see cref="RelayCredentialProtection.ForCurrentPlatform"/>
/// checks); the P/Invoke declarations are never bound elsewhere.</remarks>
public sealed class DpapiCredentialProtector : IRelayCredentialProtector
{
    // UI_FORBIDDEN: a scheduled task has no desktop to prompt on; fail instead of hanging.
    private const int CryptProtectUiForbidden = 0x1;

    // Optional entropy: another application of the same user calling CryptUnprotectData on the
    // blob without it gets an error, not the password.
    private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("MailOps relay profile credential v1");

    /// <summary>Creates the protector; throws on platforms other than Windows.</summary>
    public DpapiCredentialProtector()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            throw new PlatformNotSupportedException("DPAPI exists only on Windows.");
        }
    }

    /// <inheritdoc />
    public RelayCredentialStorage Storage => RelayCredentialStorage.Dpapi;

    /// <inheritdoc />
    public byte[] Protect(byte[] secret) => Transform(secret, protect: true);

    /// <inheritdoc />
    public byte[] Unprotect(byte[] protectedSecret) => Transform(protectedSecret, protect: false);

    private static byte[] Transform(byte[] data, bool protect)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        GCHandle dataHandle = GCHandle.Alloc(data, GCHandleType.Pinned);
        GCHandle entropyHandle = GCHandle.Alloc(Entropy, GCHandleType.Pinned);
        var output = default(DataBlob);
        try
        {
            var input = new DataBlob { Size = data.Length, Data = dataHandle.AddrOfPinnedObject() };
            var entropy = new DataBlob { Size = Entropy.Length, Data = entropyHandle.AddrOfPinnedObject() };
            bool ok = protect
                ? NativeMethods.CryptProtectData(ref input, null, ref entropy, IntPtr.Zero, IntPtr.Zero, CryptProtectUiForbidden, out output)
                : NativeMethods.CryptUnprotectData(ref input, IntPtr.Zero, ref entropy, IntPtr.Zero, IntPtr.Zero, CryptProtectUiForbidden, out output);
            if (!ok)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), protect ? "CryptProtectData failed." : "CryptUnprotectData failed (the secret was protected by another user or machine).");
            }

            var result = new byte[output.Size];
            Marshal.Copy(output.Data, result, 0, output.Size);
            return result;
        }
        finally
        {
            if (output.Data != IntPtr.Zero)
            {
                // The plain text of an unprotect lives in this buffer: wipe it before freeing.
                if (!protect)
                {
                    Marshal.Copy(new byte[output.Size], 0, output.Data, output.Size);
                }

                NativeMethods.LocalFree(output.Data);
            }

            dataHandle.Free();
            entropyHandle.Free();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DataBlob
    {
        public int Size;
        public IntPtr Data;
    }

    private static class NativeMethods
    {
        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool CryptProtectData(ref DataBlob dataIn, string? description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, out DataBlob dataOut);

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, out DataBlob dataOut);

        [DllImport("kernel32.dll")]
        public static extern IntPtr LocalFree(IntPtr memory);
    }
}

/// <summary>Picks the credential protection the current platform offers.</summary>
public static class RelayCredentialProtection
{
    /// <summary>DPAPI on Windows; null elsewhere (Linux and macOS have no per-user protection
    /// MailOps can rely on without extra modules: passwords then come at send time or from
    /// SecretManagement).</summary>
    public static IRelayCredentialProtector? ForCurrentPlatform()
        => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new DpapiCredentialProtector() : null;

    /// <summary>The refusal of a password where the platform cannot protect it: one message for
    /// the store and for cmdlets that check before touching the store.</summary>
    public static RelayProfileException Unavailable(string? profileName)
        => new RelayProfileException(
            RelayProfileErrorKind.CredentialStorageUnavailable,
            profileName,
            "This platform has no protected storage for passwords (MailOps uses DPAPI, which exists only on Windows), so the password is not stored. Give -SecretName <name of a SecretManagement secret>, or -UserName alone and pass -Credential at send time.");
}

// Compiler support types that netstandard2.0 lacks; the compiler only needs them to exist.
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 code use init-only setters and records.</summary>
    internal static class IsExternalInit
    {
    }
}

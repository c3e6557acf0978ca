namespace MailOps.Core.Tests.Store;

/// <summary>A store path in a fresh temporary folder (one level deeper than the folder, so
/// opening proves it creates folders), deleted with everything in it afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mailops-store-" + Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, "data", "mailops.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

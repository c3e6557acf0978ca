using Xunit;
using MailOps.Core.Store;

namespace MailOps.Core.Tests.Store;

/// <summary>The only tests that touch MAILOPS_STORE; one class, so they never run at once.</summary>
public sealed class StoreDefaultPathTests
{
    [Fact]
    public void Default_path_is_MAILOPS_STORE_when_set_else_the_users_local_data_folder()
    {
        string? saved = Environment.GetEnvironmentVariable(MailOpsStore.PathVariable);
        try
        {
            string custom = Path.Combine(Path.GetTempPath(), "custom-store", "ops.db");
            Environment.SetEnvironmentVariable(MailOpsStore.PathVariable, custom);
            Assert.Equal(custom, MailOpsStore.DefaultPath);
            Assert.Equal(custom, MailOpsStore.ResolvePath(null));

            Environment.SetEnvironmentVariable(MailOpsStore.PathVariable, null);
            string expected = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MailOps", "mailops.db");
            Assert.Equal(expected, MailOpsStore.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MailOpsStore.PathVariable, saved);
        }
    }

    [Fact]
    public void An_explicit_path_wins_over_the_default()
    {
        string explicitPath = Path.Combine(Path.GetTempPath(), "explicit", "x.db");

        Assert.Equal(explicitPath, MailOpsStore.ResolvePath(explicitPath));
    }
}

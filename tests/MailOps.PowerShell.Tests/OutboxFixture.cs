using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>
/// A PowerShell host with MailOps imported, a temporary folder for per-test stores and .eml
/// files, and a global New-OutboxMessage function that writes messages through the engine's own
/// RelayOutbox. This project does not reference MailOps.Core (the module may load it in its own
/// load context), so the function reaches the engine types through the assembly of
/// Get-RelayMessage's OutputType, exactly the assembly the cmdlets use.
/// </summary>
public sealed class OutboxFixture : IDisposable
{
    /// <summary>Defines New-OutboxMessage -Store -Subject -State [-To]: enqueues a message and takes
    /// it through the legal transitions to -State; returns its id. The MIME is fixed text, so a
    /// test can compare a saved file with <see cref="Mime"/>.</summary>
    private const string Helper = """
        function global:New-OutboxMessage {
            param([string]$Store, [string]$Subject = 'Invoice', [string]$State = 'Queued', [string[]]$To = @('anna@fabrikam.example'))
            $asm = (Get-Command Get-RelayMessage).OutputType[0].Type.Assembly
            $storeType = $asm.GetType('MailOps.Core.Store.MailOpsStore', $true)
            $outboxType = $asm.GetType('MailOps.Core.Relay.RelayOutbox', $true)
            $category = [Enum]::Parse($asm.GetType('MailOps.Core.Relay.RelayCategory', $true), 'Transactional')
            $none = [System.Threading.CancellationToken]::None
            $mime = [System.Text.Encoding]::UTF8.GetBytes("From: billing@contoso.example`r`nTo: anna@fabrikam.example`r`nSubject: $Subject`r`n`r`nHello`r`n")
            $s = $storeType::Open($Store)
            try {
                $o = $outboxType::new($s)
                $m = $o.EnqueueAsync($mime, 'bounce@contoso.example', [string[]]$To, "<$Subject@contoso.example>", 'billing@contoso.example', $Subject, $category, $none).GetAwaiter().GetResult()
                if ($State -eq 'Cancelled') {
                    $null = $o.CancelAsync($m.Id, $none).GetAwaiter().GetResult()
                }
                elseif ($State -ne 'Queued') {
                    $null = $o.TryBeginSendAsync($m.Id, $false, $none).GetAwaiter().GetResult()
                    switch ($State) {
                        'Sent' { $null = $o.MarkSentAsync($m.Id, 'Office', [string[]]@(), $none).GetAwaiter().GetResult() }
                        'Deferred' { $null = $o.MarkDeferredAsync($m.Id, 'Office', '451 4.7.1 greylisted', 451, '4.7.1', $none).GetAwaiter().GetResult() }
                        'Failed' { $null = $o.MarkFailedAsync($m.Id, 'Office', '550 5.7.1 relaying denied', 550, '5.7.1', $none).GetAwaiter().GetResult() }
                    }
                }
                $m.Id
            }
            finally {
                $s.Dispose()
            }
        }
        """;

    public OutboxFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "mailops-outbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Host = new PowerShellHost();
        Host.InvokeScript(Helper).ThrowIfFailed();
    }

    public string Root { get; }

    public PowerShellHost Host { get; }

    /// <summary>The MIME New-OutboxMessage writes for <paramref name="subject"/>.</summary>
    public static byte[] Mime(string subject)
        => System.Text.Encoding.UTF8.GetBytes($"From: billing@contoso.example\r\nTo: anna@fabrikam.example\r\nSubject: {subject}\r\n\r\nHello\r\n");

    /// <summary>A fresh folder for one test: the store goes in it, and .eml files beside it.</summary>
    public string NewFolder()
    {
        string folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Enqueues a message through the engine and brings it to <paramref name="state"/>.</summary>
    public long Add(string store, string subject, string state = "Queued")
    {
        var r = Host.InvokeScript(
            "New-OutboxMessage -Store $store -Subject $subject -State $state",
            new Dictionary<string, object?> { ["store"] = store, ["subject"] = subject, ["state"] = state });
        r.ThrowIfFailed();
        return Convert.ToInt64(r.Single().BaseObject);
    }

    /// <summary>Runs a MailOps command against the store at <paramref name="store"/>.</summary>
    public PowerShellResult Run(string store, string command, Dictionary<string, object?> parameters, IEnumerable<object?>? input = null)
    {
        parameters["Path"] = store;
        return Host.Invoke(command, parameters, input);
    }

    /// <summary>Runs a script with $store set to <paramref name="store"/> and $folder to its folder.</summary>
    public PowerShellResult Script(string store, string script)
        => Host.InvokeScript(script, new Dictionary<string, object?> { ["store"] = store, ["folder"] = Path.GetDirectoryName(store) });

    public void Dispose()
    {
        Host.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using MailOps.Core.Relay;
using MailOps.Core.Store;

namespace MailOps.Commands;

/// <summary>
/// Save-RelayMessage: writes the MIME of an outbox message, byte for byte as it was queued, to an
/// .eml file that a mail client opens or another tool resends. -Path is the store, as on every
/// store cmdlet; -Destination is the file (or a folder: the file is then
/// relay-message-&lt;Id&gt;.eml in it). The file is written atomically: a reader never sees half
/// a message and a failed write leaves an existing file as it was.
/// </summary>
[Cmdlet(VerbsData.Save, "RelayMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class SaveRelayMessageCommand : OutboxCmdlet
{
    /// <summary>The outbox id of the message.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OutboxId")]
    public long Id { get; set; }

    /// <summary>The .eml file to write, or an existing folder to write relay-message-&lt;Id&gt;.eml in.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("OutFile")]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Refuse to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Return the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string target = GetUnresolvedProviderPathFromPSPath(Destination);
        if (Directory.Exists(target))
        {
            target = System.IO.Path.Combine(target, "relay-message-" + Id.ToString(CultureInfo.InvariantCulture) + ".eml");
        }

        if (!ShouldProcess(target, $"Save outbox message {Id} from {StorePath}"))
        {
            return;
        }

        if (NoClobber && File.Exists(target))
        {
            var exists = new IOException($"The file {target} exists; -NoClobber keeps it. Choose another -Destination or omit -NoClobber.");
            WriteError(CreateError(exists, ErrorIds.RelayMessageSaveFailed, ErrorCategory.ResourceExists, target));
            return;
        }

        RelayOutbox? box = GetOutbox();
        byte[]? mime;
        try
        {
            mime = box is null ? null : Await(box.GetMimeAsync(Id, CancellationToken));
        }
        catch (MailOpsStoreException ex)
        {
            WriteError(StoreErrors.Create(ex, Id));
            return;
        }

        if (mime is null)
        {
            WriteError(CreateNotFound(Id));
            return;
        }

        try
        {
            WriteAtomically(target, mime);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
        {
            WriteError(CreateError(ex, ErrorIds.RelayMessageSaveFailed, ErrorCategory.WriteError, target));
            return;
        }

        WriteVerbose($"Saved outbox message {Id} ({mime.Length} bytes) to {target}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(target));
        }
    }

    /// <summary>Writes a temporary file beside the target and renames it over the target: the
    /// rename is atomic on one volume, so the target is either the old file or the whole new one.</summary>
    private static void WriteAtomically(string target, byte[] content)
    {
        string folder = System.IO.Path.GetDirectoryName(target) ?? ".";
        string temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(target))
            {
                File.Replace(temporary, target, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temporary, target);
            }
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}

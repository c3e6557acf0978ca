using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Get-, Save- and Stop-RelayMessage through real PowerShell and the staged module, each
/// test on its own store, with messages written through the engine's RelayOutbox.</summary>
public sealed class OutboxTests : IClassFixture<OutboxFixture>
{
    private readonly OutboxFixture f;
    private readonly string folder;
    private readonly string store;

    public OutboxTests(OutboxFixture fixture)
    {
        f = fixture;
        folder = fixture.NewFolder();
        store = Path.Combine(folder, "mailops.db");
    }

    private PowerShellResult Get(Dictionary<string, object?>? parameters = null)
        => f.Run(store, "Get-RelayMessage", parameters ?? new Dictionary<string, object?>());

    private string StatusOf(long id)
    {
        var r = Get(new() { ["Id"] = new[] { id } });
        r.ThrowIfFailed();
        return r.Single().Str("Status")!;
    }

    private static void AssertError(ErrorRecord error, string id, ErrorCategory category, object target)
    {
        Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
    }

    [Fact]
    public void Get_lists_every_message_in_the_order_it_was_queued_as_the_engine_type()
    {
        long a = f.Add(store, "first");
        long b = f.Add(store, "second", "Sent");

        var r = Get();

        r.ThrowIfFailed();
        Assert.Equal(new[] { a, b }, r.Output.Select(o => (long)o.Prop("Id")!));
        Assert.Equal("MailOps.Core.Relay.RelayMessage", r.Output[0].BaseObject.GetType().FullName);
        Assert.Equal(new[] { "Queued", "Sent" }, r.Output.Select(o => o.Str("Status")));
        Assert.Equal("first", r.Output[0].Str("Subject"));
        Assert.Equal("bounce@contoso.example", r.Output[0].Str("From"));
        Assert.Equal(new[] { "anna@fabrikam.example" }, (string[])r.Output[0].Prop("Recipients")!);
    }

    [Fact]
    public void Get_with_Status_returns_only_messages_in_those_states()
    {
        f.Add(store, "waiting");
        long failed = f.Add(store, "bounced", "Failed");
        long deferred = f.Add(store, "greylisted", "Deferred");
        f.Add(store, "done", "Sent");

        var r = Get(new() { ["Status"] = new[] { "Failed", "deferred" } });

        r.ThrowIfFailed();
        Assert.Equal(new[] { failed, deferred }, r.Output.Select(o => (long)o.Prop("Id")!));
        Assert.Equal(550, r.Output[0].Prop("LastStatusCode"));
        Assert.Equal("5.7.1", r.Output[0].Str("LastEnhancedStatusCode"));
        Assert.NotNull(r.Output[1].Prop("NextAttemptAt"));
    }

    [Fact]
    public void Get_with_an_invalid_Status_is_a_parameter_binding_error()
    {
        var r = Get(new() { ["Status"] = new[] { "Bounced" } });

        var record = Assert.IsAssignableFrom<IContainsErrorRecord>(r.Terminating).ErrorRecord;
        Assert.StartsWith("ParameterArgumentValidationError,", record.FullyQualifiedErrorId);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Get_by_Id_returns_messages_in_the_order_given_and_an_error_for_an_unknown_id()
    {
        long a = f.Add(store, "a");
        long b = f.Add(store, "b");

        var r = Get(new() { ["Id"] = new[] { b, 9999L, a } });

        Assert.Equal(new[] { b, a }, r.Output.Select(o => (long)o.Prop("Id")!));
        AssertError(Assert.Single(r.Errors), "RelayMessageNotFound", ErrorCategory.ObjectNotFound, 9999L);
    }

    [Fact]
    public void Get_by_Id_with_another_Status_returns_nothing_and_no_error()
    {
        long sent = f.Add(store, "done", "Sent");

        var r = Get(new() { ["Id"] = new[] { sent }, ["Status"] = new[] { "Queued" } });

        Assert.Empty(r.Output);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Get_on_a_store_that_does_not_exist_returns_nothing_and_creates_no_file()
    {
        var r = Get();

        r.ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void Stop_cancels_a_queued_message()
    {
        long id = f.Add(store, "cancel me");

        var r = f.Run(store, "Stop-RelayMessage", new() { ["Id"] = new[] { id }, ["PassThru"] = true });

        r.ThrowIfFailed();
        Assert.Equal("Cancelled", r.Single().Str("Status"));
        Assert.Equal("Cancelled", StatusOf(id));
    }

    [Fact]
    public void Get_piped_to_Stop_cancels_every_waiting_message_and_leaves_the_sent_one()
    {
        long queued = f.Add(store, "q");
        long deferred = f.Add(store, "d", "Deferred");
        long sent = f.Add(store, "s", "Sent");

        var r = f.Script(store, "Get-RelayMessage -Path $store -Status Queued, Deferred | Stop-RelayMessage -Path $store");

        r.ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.Equal("Cancelled", StatusOf(queued));
        Assert.Equal("Cancelled", StatusOf(deferred));
        Assert.Equal("Sent", StatusOf(sent));
    }

    [Fact]
    public void Csv_rows_with_an_Id_column_cancel_those_messages()
    {
        long a = f.Add(store, "a");
        long b = f.Add(store, "b");
        long c = f.Add(store, "c");

        var r = f.Script(store, $"@([pscustomobject]@{{ Id = '{a}' }}, [pscustomobject]@{{ Id = '{c}' }}) | Stop-RelayMessage -Path $store");

        r.ThrowIfFailed();
        Assert.Equal("Cancelled", StatusOf(a));
        Assert.Equal("Queued", StatusOf(b));
        Assert.Equal("Cancelled", StatusOf(c));
    }

    [Fact]
    public void Stop_on_a_sent_message_is_NotCancellable_and_the_other_ids_go_on()
    {
        long sent = f.Add(store, "s", "Sent");
        long queued = f.Add(store, "q");

        var r = f.Run(store, "Stop-RelayMessage", new() { ["Id"] = new[] { sent, queued } });

        var error = Assert.Single(r.Errors);
        AssertError(error, "RelayMessageNotCancellable", ErrorCategory.InvalidOperation, sent);
        Assert.Contains("Sent", error.Exception.Message);
        Assert.Equal("Sent", StatusOf(sent));
        Assert.Equal("Cancelled", StatusOf(queued));
    }

    [Fact]
    public void Stop_on_an_unknown_id_is_RelayMessageNotFound()
    {
        f.Add(store, "q");

        var r = f.Run(store, "Stop-RelayMessage", new() { ["Id"] = new[] { 4242L } });

        AssertError(Assert.Single(r.Errors), "RelayMessageNotFound", ErrorCategory.ObjectNotFound, 4242L);
    }

    [Fact]
    public void Stop_WhatIf_cancels_nothing()
    {
        long id = f.Add(store, "q");

        var r = f.Run(store, "Stop-RelayMessage", new() { ["Id"] = new[] { id }, ["WhatIf"] = true });

        r.ThrowIfFailed();
        Assert.Equal("Queued", StatusOf(id));
    }

    [Fact]
    public void Save_writes_the_mime_byte_for_byte()
    {
        long id = f.Add(store, "Rechnung Grüße");
        string eml = Path.Combine(folder, "out.eml");

        var r = f.Run(store, "Save-RelayMessage", new() { ["Id"] = id, ["Destination"] = eml, ["PassThru"] = true });

        r.ThrowIfFailed();
        Assert.Equal(eml, r.Single().Str("FullName"));
        Assert.Equal(OutboxFixture.Mime("Rechnung Grüße"), File.ReadAllBytes(eml));
    }

    [Fact]
    public void Get_piped_to_Save_with_a_folder_writes_one_file_per_message_named_by_id()
    {
        long a = f.Add(store, "a", "Failed");
        long b = f.Add(store, "b", "Failed");
        string exports = Directory.CreateDirectory(Path.Combine(folder, "exports")).FullName;

        var r = f.Script(store, "Get-RelayMessage -Path $store -Status Failed | Save-RelayMessage -Path $store -OutFile ($folder + '/exports')");

        r.ThrowIfFailed();
        Assert.Equal(OutboxFixture.Mime("a"), File.ReadAllBytes(Path.Combine(exports, $"relay-message-{a}.eml")));
        Assert.Equal(OutboxFixture.Mime("b"), File.ReadAllBytes(Path.Combine(exports, $"relay-message-{b}.eml")));
        Assert.Equal(2, Directory.GetFiles(exports).Length);
    }

    [Fact]
    public void Save_replaces_an_existing_file_whole_and_leaves_no_temporary_file()
    {
        long id = f.Add(store, "new");
        string eml = Path.Combine(folder, "out.eml");
        File.WriteAllText(eml, new string('x', 10_000));

        var r = f.Run(store, "Save-RelayMessage", new() { ["Id"] = id, ["Destination"] = eml });

        r.ThrowIfFailed();
        Assert.Equal(OutboxFixture.Mime("new"), File.ReadAllBytes(eml));
        Assert.Equal(new[] { "mailops.db", "out.eml" }, Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => !n!.StartsWith("mailops.db-")).OrderBy(n => n));
    }

    [Fact]
    public void Save_NoClobber_keeps_an_existing_file_and_says_so()
    {
        long id = f.Add(store, "new");
        string eml = Path.Combine(folder, "keep.eml");
        File.WriteAllText(eml, "old");

        var r = f.Run(store, "Save-RelayMessage", new() { ["Id"] = id, ["Destination"] = eml, ["NoClobber"] = true });

        AssertError(Assert.Single(r.Errors), "RelayMessageSaveFailed", ErrorCategory.ResourceExists, eml);
        Assert.Equal("old", File.ReadAllText(eml));
    }

    [Fact]
    public void Save_WhatIf_writes_no_file()
    {
        long id = f.Add(store, "x");
        string eml = Path.Combine(folder, "never.eml");

        var r = f.Run(store, "Save-RelayMessage", new() { ["Id"] = id, ["Destination"] = eml, ["WhatIf"] = true });

        r.ThrowIfFailed();
        Assert.False(File.Exists(eml));
    }

    [Fact]
    public void Save_of_an_unknown_id_is_RelayMessageNotFound_and_writes_no_file()
    {
        f.Add(store, "x");
        string eml = Path.Combine(folder, "missing.eml");

        var r = f.Run(store, "Save-RelayMessage", new() { ["Id"] = 31337L, ["Destination"] = eml });

        AssertError(Assert.Single(r.Errors), "RelayMessageNotFound", ErrorCategory.ObjectNotFound, 31337L);
        Assert.False(File.Exists(eml));
    }

    [Fact]
    public void Cmdlets_that_change_state_support_WhatIf_and_Get_declares_its_output_type()
    {
        var r = f.Host.InvokeScript("Get-Command Save-RelayMessage, Stop-RelayMessage | ForEach-Object { $_.Parameters.ContainsKey('WhatIf') }; (Get-Command Get-RelayMessage).OutputType[0].Name");

        r.ThrowIfFailed();
        Assert.Equal(new object[] { true, true, "MailOps.Core.Relay.RelayMessage" }, r.Output.Select(o => o.BaseObject));
    }
}

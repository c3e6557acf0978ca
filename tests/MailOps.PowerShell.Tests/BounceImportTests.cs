using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Import-MailBounce through real PowerShell over copies of the bounce samples.</summary>
public sealed class BounceImportTests : IClassFixture<BounceFixture>
{
    private readonly BounceFixture f;

    public BounceImportTests(BounceFixture fixture) => f = fixture;

    private PowerShellResult Import(Dictionary<string, object?> parameters) => f.Host.Invoke("Import-MailBounce", parameters);

    private static string[] ErrorIds(PowerShellResult r) => r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray();

    [Fact]
    public void Postfix_report_gives_one_typed_row_with_the_fields_of_the_report()
    {
        var b = Import(new() { ["Path"] = new[] { f.Sample("postfix-user-unknown.eml") } }).Single();

        Assert.Contains("MailOps.Core.Bounces.MailBounce", b.TypeNames);
        Assert.Equal("nobody@fabrikam.example", b.Str("Recipient"));
        Assert.Equal("fabrikam.example", b.Str("Domain"));
        Assert.Equal("Failed", b.Str("Action"));
        Assert.Equal("5.1.1", b.Str("Status"));
        Assert.Equal("HardBounce", b.Str("Kind"));
        Assert.Equal("smtp; 550 5.1.1 <nobody@fabrikam.example>: Recipient address rejected: User unknown in virtual mailbox table", b.Str("DiagnosticCode"));
        Assert.Equal("mx1.fabrikam.example", b.Str("RemoteMta"));
        Assert.Equal("mail.contoso.example", b.Str("ReportingMta"));
        Assert.Equal("<news-2025-01.4711@contoso.example>", b.Str("OriginalMessageId"));
        Assert.Equal("Your January newsletter", b.Str("Subject"));
        Assert.Equal(f.Sample("postfix-user-unknown.eml"), b.Str("File"));
    }

    [Fact]
    public void Wildcard_reads_every_matching_file_in_name_order()
    {
        var r = f.Script("Import-MailBounce -Path ([System.IO.Path]::Combine($set, '*.eml'))");

        r.ThrowIfFailed();
        Assert.Equal(
            new[] { "ghost@fabrikam.example", "buyer@gone.example", "nobody@fabrikam.example", "full.box@northwind.example" },
            r.Output.Select(o => o.Str("Recipient")));
        Assert.Equal(new[] { "Exim", "Exim", "Gmail", "Dsn" }, r.Output.Select(o => o.Str("Format")));
    }

    [Fact]
    public void Broken_file_is_an_InvalidMessageFile_error_and_the_other_files_are_still_read()
    {
        var r = Import(new() { ["Path"] = new[] { f.Sample("garbage.eml"), f.Sample("truncated-report.eml"), f.Sample("mailbox-full.eml") } });

        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "InvalidMessageFile", "InvalidMessageFile" }, ErrorIds(r));
        Assert.All(r.Errors, e => Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, e.CategoryInfo.Category));
        Assert.Equal(f.Sample("garbage.eml"), r.Errors[0].TargetObject);
        var row = Assert.Single(r.Output);
        Assert.Equal("MailboxFull", row.Str("Kind"));
    }

    [Fact]
    public void Single_message_that_is_not_a_bounce_is_a_NotABounce_error()
    {
        var r = Import(new() { ["Path"] = new[] { f.Sample("not-a-bounce-auto-reply.eml") } });

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.Equal("NotABounce,MailOps.Commands.ImportMailBounceCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(f.Sample("not-a-bounce-auto-reply.eml"), error.TargetObject);
    }

    [Fact]
    public void Mbox_skips_its_ordinary_message_with_a_verbose_line_and_no_error()
    {
        var r = Import(new() { ["Path"] = new[] { f.Sample("bounces-mixed.mbox") }, ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Equal(4, r.Output.Count);
        Assert.Equal(new[] { "1", "3", "3", "4" }, r.Output.Select(o => o.Str("MessageNumber")));
        Assert.Contains(r.Verbose, v => v.Contains("message 2 (Lunch on Friday?) skipped"));
    }

    [Fact]
    public void Missing_file_is_BounceFileNotFound_and_the_rest_continue()
    {
        var r = Import(new() { ["Path"] = new[] { f.Sample("no-such-file.eml"), f.Sample("dns-failure.eml") } });

        Assert.Equal(new[] { "BounceFileNotFound" }, ErrorIds(r));
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, r.Errors[0].CategoryInfo.Category);
        Assert.Equal("DnsFailure", Assert.Single(r.Output).Str("Kind"));
    }

    [Fact]
    public void Wildcard_that_matches_nothing_is_BounceFileNotFound()
    {
        var r = f.Script("Import-MailBounce -Path ([System.IO.Path]::Combine($set, '*.msg'))");

        Assert.Empty(r.Output);
        Assert.Equal(new[] { "BounceFileNotFound" }, ErrorIds(r));
    }

    [Fact]
    public void Folder_is_BouncePathNotFile()
    {
        var r = Import(new() { ["Path"] = new[] { f.SetFolder } });

        Assert.Empty(r.Output);
        Assert.Equal(new[] { "BouncePathNotFile" }, ErrorIds(r));
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, r.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void LiteralPath_reads_a_name_with_wildcard_characters_as_it_is()
    {
        var r = Import(new() { ["LiteralPath"] = new[] { f.Sample("bounce[1].eml") } });

        Assert.Equal("nobody@fabrikam.example", r.Single().Str("Recipient"));
    }

    [Fact]
    public void FileInfo_objects_from_the_pipeline_bind_by_FullName()
    {
        var r = f.Script("[System.IO.DirectoryInfo]::new($set).GetFiles('*.eml') | Import-MailBounce");

        r.ThrowIfFailed();
        Assert.Equal(4, r.Output.Count);
        Assert.Equal(3, r.Output.Select(o => o.Str("File")).Distinct().Count());
    }

    [Fact]
    public void Rows_with_a_PSPath_column_bind_to_LiteralPath()
    {
        var r = f.Script("[pscustomobject]@{ PSPath = ([System.IO.Path]::Combine($folder, 'bounce[1].eml')) } | Import-MailBounce");

        Assert.Equal("nobody@fabrikam.example", r.Single().Str("Recipient"));
    }

    [Fact]
    public void Recipients_pipe_into_a_filter_on_Kind()
    {
        var r = f.Script("Import-MailBounce -Path ([System.IO.Path]::Combine($folder, 'bounces-mixed.mbox')) | Where-Object Kind -eq 'HardBounce' | ForEach-Object Recipient");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "nobody@fabrikam.example", "nobody@fabrikam.example" }, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void AddToSuppression_with_WhatIf_writes_nothing_and_still_returns_the_rows()
    {
        string store = f.NewStorePath();

        var r = Import(new() { ["Path"] = new[] { f.Sample("bounces-mixed.mbox") }, ["AddToSuppression"] = true, ["StorePath"] = store, ["WhatIf"] = true });

        r.ThrowIfFailed();
        Assert.Equal(4, r.Output.Count);
        Assert.False(File.Exists(store));
        Assert.False(Directory.Exists(Path.GetDirectoryName(store)));
    }

    [Fact]
    public void AddToSuppression_adds_only_the_hard_bounces_by_default()
    {
        string store = f.NewStorePath();

        var r = Import(new() { ["Path"] = new[] { f.Sample("bounces-mixed.mbox") }, ["AddToSuppression"] = true, ["StorePath"] = store, ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Equal(4, r.Output.Count);
        Assert.True(File.Exists(store));
        string[] added = r.Verbose.Where(v => v.StartsWith("Added ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "Added nobody@fabrikam.example on the suppression list (reason: HardBounce)." }, added);
    }

    [Fact]
    public void Suppressed_hard_bounce_is_stored_with_its_kind_as_reason_and_its_file_as_source()
    {
        string store = f.NewStorePath();

        Import(new() { ["Path"] = new[] { f.Sample("bounces-mixed.mbox") }, ["AddToSuppression"] = true, ["StorePath"] = store }).ThrowIfFailed();
        var entries = f.Host.Invoke("Get-MailSuppression", new Dictionary<string, object?> { ["Path"] = store });

        var entry = entries.Single();
        Assert.Equal("nobody@fabrikam.example", entry.Str("Address"));
        Assert.Equal("HardBounce", entry.Str("Reason"));
        Assert.Equal(f.Sample("bounces-mixed.mbox"), entry.Str("Source"));
        Assert.Null(entry.Prop("ExpiresAt"));
    }

    [Fact]
    public void Kind_chooses_which_kinds_go_on_the_suppression_list()
    {
        string store = f.NewStorePath();

        var r = Import(new()
        {
            ["Path"] = new[] { f.Sample("bounces-mixed.mbox") },
            ["AddToSuppression"] = true,
            ["Kind"] = new[] { "HardBounce", "MailboxFull" },
            ["StorePath"] = store,
            ["Verbose"] = true,
        });

        r.ThrowIfFailed();
        string[] added = r.Verbose.Where(v => v.StartsWith("Added ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            new[]
            {
                "Added nobody@fabrikam.example on the suppression list (reason: HardBounce).",
                "Added full.box@northwind.example on the suppression list (reason: MailboxFull).",
            },
            added);
    }

    [Fact]
    public void Adding_the_same_bounce_again_later_updates_the_entry()
    {
        string store = f.NewStorePath();
        var parameters = new Dictionary<string, object?> { ["Path"] = new[] { f.Sample("postfix-user-unknown.eml") }, ["AddToSuppression"] = true, ["StorePath"] = store, ["Verbose"] = true };

        Import(parameters).ThrowIfFailed();
        var again = Import(parameters);

        again.ThrowIfFailed();
        Assert.Contains("Updated nobody@fabrikam.example on the suppression list (reason: HardBounce).", again.Verbose);
    }
}

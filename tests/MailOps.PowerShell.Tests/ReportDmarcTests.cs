using System.Management.Automation;
using System.Net;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Import-DmarcReport through real PowerShell over real files.</summary>
public sealed class ReportDmarcTests : IClassFixture<ReportFixture>
{
    private readonly ReportFixture f;

    public ReportDmarcTests(ReportFixture fixture) => f = fixture;

    private PowerShellResult Import(params string[] paths)
        => f.Run("Import-DmarcReport", new Dictionary<string, object?> { ["Path"] = paths });

    [Fact]
    public void Every_conformance_sample_is_read_and_the_broken_one_gives_one_InvalidDmarcReport_error()
    {
        var r = Import(Path.Combine(f.Samples, "aggregate", "*"));

        Assert.Null(r.Terminating);
        Assert.Equal(24, r.Output.Count);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDmarcReport,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(f.Sample("aggregate/invalid_xml.xml"), error.TargetObject);
        Assert.Contains("not well-formed XML", error.Exception.Message);
        Assert.Equal(5, r.Output.Select(o => o.Str("File")).Distinct().Count());
    }

    [Fact]
    public void Row_carries_typed_values_for_csv_export()
    {
        var row = Import(f.Sample("aggregate/rfc9990-sample.xml")).Single();

        Assert.Equal("MailOps.Core.Reports.DmarcReportRow", row.BaseObject.GetType().FullName);
        Assert.Equal(IPAddress.Parse("192.0.2.123"), row.Prop("SourceIP"));
        Assert.Equal(123L, row.Prop("Count"));
        Assert.Equal(new DateTimeOffset(1979, 8, 7, 0, 0, 0, TimeSpan.Zero), row.Prop("Begin"));
        Assert.Equal("quarantine", row.Str("Policy"));
        Assert.Equal("pass", row.Str("Disposition"));
        Assert.Equal("example.com", row.Str("DkimDomain"));
        Assert.Equal(true, row.Prop("DkimAligned"));
        Assert.Equal(true, row.Prop("DmarcPass"));
        Assert.Equal("abc123", Assert.Single(row.Items("DkimResults")).Str("Selector"));
    }

    [Fact]
    public void Truncated_gzip_is_an_error_and_the_next_file_is_still_read()
    {
        var r = Import(f.Truncated, f.Good);

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDmarcReport,", error.FullyQualifiedErrorId);
        Assert.Equal(f.Truncated, error.TargetObject);
        Assert.Contains("truncated", error.Exception.Message);
        var last = r.Output[^1];
        Assert.Equal(f.Good, last.Str("File"));
        Assert.Equal(IPAddress.Parse("192.0.2.10"), last.Prop("SourceIP"));
    }

    [Fact]
    public void Eml_with_a_zipped_report_is_read_and_tokens_are_lower_cased()
    {
        var row = Import(f.Eml).Single();

        Assert.Equal("mail-1", row.Str("ReportId"));
        Assert.Equal(9L, row.Prop("Count"));
        Assert.Equal("pass", row.Str("DkimResult"));
        Assert.Equal("mail.example.com", row.Str("DkimDomain"));
        Assert.Equal(true, row.Prop("DkimAligned"));
        Assert.Equal(f.Eml, row.Str("File"));
    }

    [Fact]
    public void Failure_report_eml_is_an_error_that_says_it_is_a_failure_report()
    {
        var r = Import(f.Sample("failure/dmarc_ruf_report_linkedin.eml"));

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDmarcReport,", error.FullyQualifiedErrorId);
        Assert.Contains("failure report", error.Exception.Message);
    }

    [Fact]
    public void Objects_with_FullName_bind_Path_from_the_pipeline_in_input_order()
    {
        var r = f.Script(
            "@([pscustomobject]@{ FullName = [System.IO.Path]::Combine($samples, 'aggregate', 'old_draft_from_wiki.xml') }, " +
            "[pscustomobject]@{ FullName = [System.IO.Path]::Combine($samples, 'aggregate', 'rfc9990-sample.xml') }) | Import-DmarcReport");

        r.ThrowIfFailed();
        Assert.Equal(new[] { "acme.com", "Sample Reporter" }, r.Output.Select(o => o.Str("OrgName")));
    }

    [Fact]
    public void Objects_with_PSPath_bind_LiteralPath_as_Get_ChildItem_output_does()
    {
        var r = f.Script(
            "[pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Core\\FileSystem::' + [System.IO.Path]::Combine($samples, 'aggregate', 'old_draft_from_wiki.xml') } | Import-DmarcReport");

        Assert.Equal("9391651994964116463", r.Single().Str("ReportId"));
    }

    [Fact]
    public void Missing_file_is_ReportFileNotFound_and_the_other_files_are_read()
    {
        string missing = Path.Combine(f.Folder, "nowhere.xml");

        var r = f.Run("Import-DmarcReport", new Dictionary<string, object?> { ["LiteralPath"] = new[] { missing, f.Good } });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("ReportFileNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(f.Good, Assert.Single(r.Output).Str("File"));
    }

    [Fact]
    public void Wildcard_matching_nothing_is_ReportFileNotFound()
    {
        var r = Import(Path.Combine(f.Folder, "*.none"));

        Assert.StartsWith("ReportFileNotFound,", Assert.Single(r.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Folder_is_ReportPathNotFile()
    {
        var r = Import(f.Folder);

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("ReportPathNotFile,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void Rows_stream_into_a_script_block_counter()
    {
        var r = f.Script(
            "$n = 0; $messages = 0; Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', 'extract_report-nice-input.xml.zip')) | " +
            "ForEach-Object { $n++; $messages += $_.Count }; \"$n $messages\"");

        Assert.Equal("20 3047", r.Single().BaseObject);
    }

    [Fact]
    public void Verbose_names_the_zip_entry_and_the_record_count()
    {
        var r = f.Run("Import-DmarcReport", new Dictionary<string, object?> { ["Path"] = new[] { f.Sample("aggregate/extract_report-nice-input.xml.zip") }, ["Verbose"] = true });

        r.ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.Contains("zip entry 'nice-input.xml'") && v.Contains("20 records"));
    }

    [Fact]
    public void Failing_sources_can_be_filtered_with_Where_Object()
    {
        var r = f.Script("Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', '*.xml')) -ErrorAction SilentlyContinue | Where-Object DmarcPass -eq $false");

        Assert.Equal(new[] { "199.230.200.36" }, r.Output.Select(o => o.Str("SourceIP")));
    }
}

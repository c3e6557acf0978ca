using System.Management.Automation;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>New-DmarcRecord through real PowerShell: the record, its name, findings and errors.</summary>
public sealed class DmarcNewRecordTests : IClassFixture<DmarcFixture>
{
    private readonly DmarcFixture f;

    public DmarcNewRecordTests(DmarcFixture fixture) => f = fixture;

    private PowerShellResult New(Dictionary<string, object?> parameters) => f.Host.Invoke("New-DmarcRecord", parameters);

    [Fact]
    public void Record_has_canonical_tag_order_and_the_name_to_publish_it_at()
    {
        var r = New(new Dictionary<string, object?>
        {
            ["Domain"] = "Contoso.com",
            ["Policy"] = "quarantine",
            ["SubdomainPolicy"] = "reject",
            ["AggregateReportUri"] = new[] { "dmarc@contoso.com" },
            ["DkimAlignment"] = "strict",
        }).Single();

        Assert.Equal("v=DMARC1; p=quarantine; sp=reject; adkim=s; rua=mailto:dmarc@contoso.com", r.Str("Record"));
        Assert.Equal("_dmarc.contoso.com", r.Str("Name"));
        Assert.Equal("contoso.com", r.Str("Domain"));
        Assert.Empty(r.Items("Findings"));
    }

    [Fact]
    public void Without_a_domain_there_is_no_name()
    {
        var r = New(new Dictionary<string, object?> { ["Policy"] = "reject", ["AggregateReportUri"] = new[] { "d@example.com" } }).Single();

        Assert.Null(r.Prop("Name"));
        Assert.Equal("v=DMARC1; p=reject; rua=mailto:d@example.com", r.Str("Record"));
    }

    [Fact]
    public void External_report_address_names_the_authorization_txt_to_publish()
    {
        var r = New(new Dictionary<string, object?>
        {
            ["Domain"] = "contoso.com",
            ["Policy"] = "reject",
            ["AggregateReportUri"] = new[] { "rua@reports.vendor.example" },
        }).Single();

        var finding = Assert.Single(r.Items("Findings"), x => x.Str("Code") == "DmarcExternalReportAuthorizationRequired");
        Assert.Equal("contoso.com._report._dmarc.reports.vendor.example", finding.Str("Term"));
        var authorization = Assert.Single(r.Items("AuthorizationRecords"));
        Assert.Equal("contoso.com._report._dmarc.reports.vendor.example", authorization.Str("Name"));
        Assert.Equal("v=DMARC1", authorization.Str("Text"));
    }

    [Fact]
    public void Invalid_report_address_is_an_InvalidDmarcReportUri_error_and_no_record()
    {
        var r = New(new Dictionary<string, object?>
        {
            ["Policy"] = "reject",
            ["AggregateReportUri"] = new[] { "dmarc@contoso.com", "not-an-address" },
            ["FailureReportUri"] = new[] { "forensic@@contoso.com" },
        });

        Assert.Empty(r.Output);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("InvalidDmarcReportUri", e.FullyQualifiedErrorId));
        Assert.All(r.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Equal(new object[] { "not-an-address", "forensic@@contoso.com" }, r.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public void Invalid_failure_options_are_an_InvalidDmarcFailureOptions_error()
    {
        var r = New(new Dictionary<string, object?> { ["Policy"] = "reject", ["FailureOptions"] = "x:y" });

        Assert.Empty(r.Output);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDmarcFailureOptions", error.FullyQualifiedErrorId);
        Assert.Equal("x:y", error.TargetObject);
    }

    [Fact]
    public void Percentage_outside_0_to_100_is_refused_by_parameter_validation()
    {
        var r = New(new Dictionary<string, object?> { ["Policy"] = "reject", ["Percentage"] = 101 });

        Assert.Empty(r.Output);
        var binding = Assert.IsAssignableFrom<ParameterBindingException>(r.Terminating);
        Assert.Equal("ParameterArgumentValidationError", binding.ErrorId);
    }

    [Fact]
    public void Csv_like_rows_each_get_a_record_and_a_bad_row_does_not_stop_the_others()
    {
        var r = f.Host.InvokeScript("""
            @(
                [pscustomobject]@{ Domain = 'contoso.com'; Policy = 'reject'; AggregateReportUri = 'dmarc@contoso.com' }
                [pscustomobject]@{ Domain = 'fabrikam..com'; Policy = 'none'; AggregateReportUri = 'dmarc@fabrikam.com' }
                [pscustomobject]@{ Domain = 'tailspin.example'; Policy = 'none'; AggregateReportUri = 'dmarc@tailspin.example' }
            ) | New-DmarcRecord
            """);

        Assert.Equal(new[] { "_dmarc.contoso.com", "_dmarc.tailspin.example" }, r.Output.Select(o => o.Str("Name")));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidDomainName", error.FullyQualifiedErrorId);
        Assert.Equal("fabrikam..com", error.TargetObject);
        Assert.Contains(r.Output[1].Items("Findings"), x => x.Str("Code") == "DmarcPolicyNone");
    }

    [Fact]
    public void Empty_csv_cells_leave_their_tags_out()
    {
        var r = f.Host.InvokeScript("""
            [pscustomobject]@{ Domain = 'fabrikam.com'; Policy = 'quarantine'; SubdomainPolicy = ''; DkimAlignment = ''; FailureOptions = ''; AggregateReportUri = 'dmarc@fabrikam.com'; FailureReportUri = '' } |
                New-DmarcRecord
            """).Single();

        Assert.Equal("v=DMARC1; p=quarantine; rua=mailto:dmarc@fabrikam.com", r.Str("Record"));
    }

    [Fact]
    public void Created_record_reads_back_valid_through_Get_DmarcPolicy()
    {
        // New-DmarcRecord's text, published at a fresh name on the fixture server, parses as intended.
        var proposal = New(new Dictionary<string, object?>
        {
            ["Domain"] = "roundtrip.example",
            ["Policy"] = "reject",
            ["NonexistentSubdomainPolicy"] = "reject",
            ["AggregateReportUri"] = new[] { "dmarc@roundtrip.example" },
        }).Single();
        f.Dns.Zone.AddTxt(proposal.Str("Name")!, proposal.Str("Record")!);

        var r = f.Run("Get-DmarcPolicy", new Dictionary<string, object?> { ["Domain"] = "roundtrip.example" }).Single();

        Assert.Equal(true, r.Prop("IsValid"));
        Assert.Equal("Reject", r.Str("EffectivePolicy"));
        Assert.Equal("Reject", r.Str("NonexistentSubdomainPolicy"));
    }
}

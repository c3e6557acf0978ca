using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>New-SpfInclude through real PowerShell and a real DNS server on loopback.</summary>
public sealed class NewSpfIncludeTests : IClassFixture<SpfFixture>
{
    private readonly SpfFixture f;

    public NewSpfIncludeTests(SpfFixture fixture) => f = fixture;

    private static string[] Strings(System.Management.Automation.PSObject o, string name)
        => ((System.Collections.IEnumerable)o.Prop(name)!).Cast<object>().Select(x => x.ToString()!).ToArray();

    [Fact]
    public void Include_is_merged_into_the_published_record_before_all()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "contoso.example", ["Include"] = new[] { "p1.example" } }).Single();

        Assert.Equal("v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx include:p1.example ~all", r.Str("Record"));
        Assert.Equal("v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all", r.Str("OriginalRecord"));
        Assert.Equal(new[] { "p1.example" }, Strings(r, "Added"));
        Assert.Equal(3, (int)r.Prop("DnsLookupCount")!);
    }

    [Fact]
    public void Include_already_present_is_not_added_twice()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "contoso.example", ["Include"] = new[] { "include:sendgrid.example" } }).Single();

        Assert.Equal("v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all", r.Str("Record"));
        Assert.Empty(Strings(r, "Added"));
        Assert.Equal(new[] { "sendgrid.example" }, Strings(r, "AlreadyPresent"));
    }

    [Fact]
    public void Domain_without_record_gets_a_new_softfail_record()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "norecord.example", ["Include"] = new[] { "sendgrid.example" } }).Single();

        Assert.Equal("v=spf1 include:sendgrid.example ~all", r.Str("Record"));
    }

    [Fact]
    public void Two_published_records_are_merged_into_one_with_a_finding()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "twice.example", ["Include"] = new[] { "p2.example" } }).Single();

        string record = r.Str("Record")!;
        Assert.StartsWith("v=spf1 ", record);
        Assert.Contains("ip4:192.0.2.0/24", record);
        Assert.Contains("include:sendgrid.example", record);
        Assert.Contains("include:p2.example", record);
        Assert.Contains(r.Items("Findings"), x => x.Str("Code") == "SpfRecordsMerged");
    }

    [Fact]
    public void Record_parameter_merges_into_given_text()
    {
        var r = f.Run("New-SpfInclude", new() { ["Record"] = "v=spf1 mx -all", ["Include"] = new[] { "sendgrid.example", "p3.example" } }).Single();

        Assert.Equal("v=spf1 mx include:sendgrid.example include:p3.example -all", r.Str("Record"));
        Assert.Null(r.Prop("Domain"));
    }

    [Fact]
    public void Result_over_ten_lookups_is_returned_with_an_error_finding_and_a_warning()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "many.example", ["Include"] = new[] { "sendgrid.example" } });

        var change = r.Single();
        Assert.Equal(12, (int)change.Prop("DnsLookupCount")!);
        Assert.Contains(change.Items("Findings"), x => x.Str("Code") == "SpfTooManyLookups" && x.Str("Severity") == "Error");
        Assert.Contains(r.Warnings, w => w.Contains("12 DNS lookups"));
    }

    [Fact]
    public void Invalid_include_is_an_InvalidSpfInclude_error()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "contoso.example", ["Include"] = new[] { "not a domain" } });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidSpfInclude", error.FullyQualifiedErrorId);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Txt_strings_are_at_most_255_characters_and_rebuild_the_record()
    {
        string longRecord = "v=spf1 " + string.Join(" ", Enumerable.Range(1, 30).Select(i => $"ip4:198.51.{i}.0/24")) + " -all";
        var r = f.Run("New-SpfInclude", new() { ["Record"] = longRecord, ["Include"] = new[] { "sendgrid.example" } }).Single();

        var strings = Strings(r, "TxtStrings");
        Assert.True(strings.Length > 1);
        Assert.All(strings, s => Assert.True(s.Length <= 255));
        Assert.Equal(r.Str("Record"), string.Concat(strings));
    }

    [Fact]
    public void Unreadable_published_record_is_a_DnsQueryFailed_error_not_a_new_record()
    {
        var r = f.Run("New-SpfInclude", new() { ["Domain"] = "servfail.example", ["Include"] = new[] { "sendgrid.example" } });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DnsQueryFailed", error.FullyQualifiedErrorId);
        Assert.Equal("ResourceUnavailable", error.CategoryInfo.Category.ToString());
        Assert.Equal("servfail.example", error.TargetObject);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Record_that_is_not_spf_is_an_InvalidSpfRecord_error()
    {
        var r = f.Run("New-SpfInclude", new() { ["Record"] = "google-site-verification=abc", ["Include"] = new[] { "sendgrid.example" } });

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidSpfRecord", error.FullyQualifiedErrorId);
        Assert.Equal("google-site-verification=abc", error.TargetObject);
    }
}

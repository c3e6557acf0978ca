using MailOps.Core.Dmarc;
using Xunit;

namespace MailOps.Core.Tests.Dmarc;

/// <summary>The record New-DmarcRecord builds: canonical order, normalized addresses, findings.</summary>
public sealed class DmarcRecordBuilderTests
{
    private static string[] Codes(DmarcRecordProposal p) => p.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Tags_come_in_canonical_order_whatever_was_given()
    {
        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest
        {
            Domain = "contoso.com",
            Policy = DmarcPolicyKind.Reject,
            FailureReportUri = new[] { "forensic@contoso.com" },
            AggregateReportUri = new[] { "dmarc@contoso.com" },
            SpfAlignment = DmarcAlignment.Strict,
            DkimAlignment = DmarcAlignment.Relaxed,
            NonexistentSubdomainPolicy = DmarcPolicyKind.Reject,
            SubdomainPolicy = DmarcPolicyKind.Quarantine,
            FailureOptions = "D:S",
            Percentage = 50,
        });

        Assert.Equal("v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=r; aspf=s; pct=50; fo=d:s; rua=mailto:dmarc@contoso.com; ruf=mailto:forensic@contoso.com", p.Record);
        Assert.Equal("_dmarc.contoso.com", p.Name);
        Assert.Equal(new[] { p.Record }, p.TxtStrings);
    }

    [Fact]
    public void Built_record_parses_back_to_what_was_asked()
    {
        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest
        {
            Policy = DmarcPolicyKind.Quarantine,
            SubdomainPolicy = DmarcPolicyKind.Reject,
            AggregateReportUri = new[] { "a@example.com!10m" },
        });

        var parsed = DmarcRecordParser.Parse(p.Record);
        Assert.False(parsed.HasErrors);
        Assert.Equal(DmarcPolicyKind.Quarantine, parsed.Policy);
        Assert.Equal(DmarcPolicyKind.Reject, parsed.SubdomainPolicy);
        Assert.Equal(10L << 20, Assert.Single(parsed.AggregateReportUri).SizeLimit);
        Assert.Null(p.Name);
    }

    [Theory]
    [InlineData("dmarc@contoso.com", "mailto:dmarc@contoso.com")]
    [InlineData("MAILTO:dmarc@Contoso.COM", "mailto:dmarc@contoso.com")]
    [InlineData(" dmarc@contoso.com!10M ", "mailto:dmarc@contoso.com!10m")]
    [InlineData("dmarc@bücher.example", "mailto:dmarc@xn--bcher-kva.example")]
    [InlineData("https://reports.example/dmarc", "https://reports.example/dmarc")]
    public void Addresses_become_mailto_uris(string input, string expected)
    {
        Assert.True(DmarcRecordBuilder.TryNormalizeReportUri(input, out string uri, out _));
        Assert.Equal(expected, uri);
    }

    [Theory]
    [InlineData("")]
    [InlineData("contoso.com")]
    [InlineData("dmarc@")]
    [InlineData("a@b@contoso.com")]
    [InlineData("a@contoso.com,b@contoso.com")]
    [InlineData("dmarc@contoso..com")]
    [InlineData("dmarc@contoso.com!10x")]
    [InlineData("mailto:")]
    public void Things_that_are_no_address_are_refused_with_a_reason(string input)
    {
        Assert.False(DmarcRecordBuilder.TryNormalizeReportUri(input, out _, out string reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void Invalid_address_throws_naming_the_parameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => DmarcRecordBuilder.Build(new DmarcRecordRequest
        {
            Policy = DmarcPolicyKind.Reject,
            AggregateReportUri = new[] { "not an address" },
        }));

        Assert.Equal(nameof(DmarcRecordRequest.AggregateReportUri), ex.ParamName);
    }

    [Fact]
    public void External_destination_gets_the_authorization_record_to_publish()
    {
        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest
        {
            Domain = "contoso.com",
            Policy = DmarcPolicyKind.Reject,
            AggregateReportUri = new[] { "dmarc@contoso.com", "x@rua.vendor.example", "y@rua.vendor.example" },
        });

        var authorization = Assert.Single(p.AuthorizationRecords);
        Assert.Equal("contoso.com._report._dmarc.rua.vendor.example", authorization.Name);
        Assert.Equal("v=DMARC1", authorization.Text);
        var finding = Assert.Single(p.Findings, f => f.Code == DmarcFindingCodes.DmarcExternalReportAuthorizationRequired);
        Assert.Equal(authorization.Name, finding.Term);
    }

    [Fact]
    public void Monitoring_policy_without_reports_gets_both_warnings()
    {
        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest { Policy = DmarcPolicyKind.None });

        Assert.Equal("v=DMARC1; p=none", p.Record);
        Assert.Equal(new[] { DmarcFindingCodes.DmarcPolicyNone, DmarcFindingCodes.DmarcNoReportUri }, Codes(p));
    }

    [Fact]
    public void Percentage_of_100_is_the_default_and_left_out()
    {
        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest { Policy = DmarcPolicyKind.Reject, Percentage = 100, AggregateReportUri = new[] { "d@example.com" } });

        Assert.Equal("v=DMARC1; p=reject; rua=mailto:d@example.com", p.Record);
        Assert.Empty(p.Findings);
    }

    [Fact]
    public void Percentage_below_100_is_written_with_its_warnings()
    {
        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest { Policy = DmarcPolicyKind.Reject, Percentage = 20, AggregateReportUri = new[] { "d@example.com" } });

        Assert.Contains("pct=20", p.Record);
        Assert.Contains(DmarcFindingCodes.DmarcPercentageBelow100, Codes(p));
        Assert.Contains(DmarcFindingCodes.DmarcRemovedTag, Codes(p));
    }

    [Fact]
    public void Long_record_is_cut_into_strings_of_at_most_255_octets()
    {
        var addresses = Enumerable.Range(1, 12).Select(i => $"dmarc-reports-{i}@a-rather-long-reporting-domain.example").ToArray();

        var p = DmarcRecordBuilder.Build(new DmarcRecordRequest { Policy = DmarcPolicyKind.Reject, AggregateReportUri = addresses });

        Assert.True(p.TxtStrings.Length > 1);
        Assert.All(p.TxtStrings, s => Assert.True(System.Text.Encoding.UTF8.GetByteCount(s) <= 255));
        Assert.Equal(p.Record, string.Concat(p.TxtStrings));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("0,1")]
    public void Invalid_failure_options_throw(string fo)
    {
        Assert.Throws<ArgumentException>(() => DmarcRecordBuilder.Build(new DmarcRecordRequest { Policy = DmarcPolicyKind.Reject, FailureOptions = fo }));
    }
}

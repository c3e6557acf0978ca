using System.Management.Automation;
using System.Net;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>Import-TlsRptReport through real PowerShell over real files.</summary>
public sealed class ReportTlsRptTests : IClassFixture<ReportFixture>
{
    private readonly ReportFixture f;

    public ReportTlsRptTests(ReportFixture fixture) => f = fixture;

    private PowerShellResult Import(params string[] paths)
        => f.Run("Import-TlsRptReport", new Dictionary<string, object?> { ["Path"] = paths });

    [Fact]
    public void Rfc8460_sample_gives_one_row_per_failure_detail()
    {
        var r = Import(f.Sample("smtp_tls/rfc8460.json"));

        r.ThrowIfFailed();
        Assert.Equal(3, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal("company-y.example", o.Str("PolicyDomain")));
        Assert.All(r.Output, o => Assert.Equal("sts", o.Str("PolicyType")));
        Assert.All(r.Output, o => Assert.Equal(5326L, o.Prop("SuccessfulSessions")));
        Assert.Equal(new[] { "certificate-expired", "starttls-not-supported", "validation-failure" }, r.Output.Select(o => o.Str("ResultType")));
        Assert.Equal(new object?[] { 100L, 200L, 3L }, r.Output.Select(o => o.Prop("FailedSessionCount")));
        Assert.Equal(IPAddress.Parse("203.0.113.58"), r.Output[2].Prop("ReceivingIp"));
        Assert.Equal("MailOps.Core.Reports.TlsRptReportRow", r.Output[0].BaseObject.GetType().FullName);
    }

    [Fact]
    public void Gzipped_report_is_read()
    {
        var r = Import(f.TlsGz);

        r.ThrowIfFailed();
        Assert.Equal(303L, r.Output.Sum(o => (long)o.Prop("FailedSessionCount")!));
    }

    [Fact]
    public void Dmarc_report_is_an_InvalidTlsRptReport_error_and_the_next_file_is_read()
    {
        var r = Import(f.Sample("aggregate/rfc9990-sample.xml"), f.Sample("smtp_tls/rfc8460.json"));

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidTlsRptReport,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("Import-DmarcReport", error.Exception.Message);
        Assert.Equal(3, r.Output.Count);
    }

    [Fact]
    public void Objects_with_FullName_bind_Path_from_the_pipeline()
    {
        var r = f.Script("[pscustomobject]@{ FullName = [System.IO.Path]::Combine($samples, 'smtp_tls', 'rfc8460.json') } | Import-TlsRptReport | Where-Object ResultType -eq 'validation-failure'");

        Assert.Equal("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", r.Single().Str("FailureReasonCode"));
    }
}

using System.Management.Automation;
using System.Text.RegularExpressions;
using MailOps.TestSupport.PowerShell;

namespace MailOps.PowerShell.Tests;

/// <summary>The staged module as a user imports it: manifest, exports, formats and help.</summary>
public sealed class ModuleTests : IClassFixture<ModuleTests.HostFixture>
{
    private static readonly string[] Cmdlets =
    {
        "Add-DkimSignature", "Add-MailSuppression", "Export-MailReport", "Get-BimiRecord", "Get-DkimRecord",
        "Get-DmarcPolicy", "Get-MailSuppression", "Get-MtaStsPolicy", "Get-MxRecord", "Get-RelayDefault", "Get-RelayMessage",
        "Get-RelayRoute", "Get-RelayServer", "Get-SpfIpRange", "Get-SpfRecord", "Get-TlsRptRecord", "Import-DmarcReport",
        "Import-MailBounce", "Import-TlsRptReport", "Invoke-RelayQueue", "New-DmarcRecord", "New-SpfInclude",
        "Register-RelayServer", "Remove-MailSuppression", "Save-RelayMessage", "Send-RelayMail", "Set-RelayDefault",
        "Set-RelayServer", "Stop-RelayMessage", "Test-DnsBlocklist", "Test-EmailAddress", "Test-MailDomain",
        "Test-MailMessage", "Test-SmtpServer", "Test-SpfRecord", "Unregister-RelayServer",
    };

    public static IEnumerable<object[]> CmdletNames() => Cmdlets.Select(c => new object[] { c });
    private readonly PowerShellHost host;

    public ModuleTests(HostFixture fixture) => host = fixture.Host;

    public sealed class HostFixture : IDisposable
    {
        public PowerShellHost Host { get; } = new();

        public void Dispose() => Host.Dispose();
    }

    [Fact]
    public void Module_exports_exactly_the_documented_cmdlets()
    {
        var names = host.InvokeScript("(Get-Module MailOps).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Cmdlets, names);
    }

    [Fact]
    public void Staged_manifest_carries_the_version_from_Directory_Build_props()
    {
        string props = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"));
        string expected = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;

        string version = host.InvokeScript("(Get-Module MailOps).Version.ToString()").Single().ToString();

        Assert.Equal(expected, version);
    }

    [Fact]
    public void Manifest_exports_no_functions_aliases_or_variables()
    {
        var counts = host.InvokeScript("$m = Get-Module MailOps; $m.ExportedFunctions.Count + $m.ExportedAliases.Count + $m.ExportedVariables.Count").Single();

        Assert.Equal(0, (int)counts.BaseObject);
    }

    [Fact]
    public void Format_file_is_loaded_with_the_module()
    {
        var files = host.InvokeScript("(Get-Module MailOps).ExportedFormatFiles").Output.Select(o => Path.GetFileName(o.ToString())).ToArray();

        Assert.Contains("MailOps.format.ps1xml", files);
    }

    [Fact]
    public void Every_output_type_has_a_table_view()
    {
        string format = File.ReadAllText(Path.Combine(Path.GetDirectoryName(host.ModulePath)!, "MailOps.format.ps1xml"));
        var outputTypes = host.InvokeScript("Get-Command -Module MailOps | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -and -not $_.StartsWith('System.') }")
            .Output.Select(o => o.ToString()).Distinct().ToArray();

        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, t => Assert.Contains("<TypeName>" + t + "</TypeName>", format));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Help_has_synopsis_description_and_two_examples(string cmdlet)
    {
        PSObject help = host.Invoke("Get-Help", new Dictionary<string, object?> { ["Name"] = cmdlet, ["Full"] = true }).Single();

        Assert.False(string.IsNullOrWhiteSpace(help.Str("Synopsis")));
        Assert.DoesNotContain(cmdlet + " ", help.Str("Synopsis")!.Trim() + " ", StringComparison.Ordinal); // not the auto-generated syntax stub
        var description = host.InvokeScript("(Get-Help $name -Full).Description.Text -join ''", new Dictionary<string, object?> { ["name"] = cmdlet }).Single().ToString();
        Assert.True(description.Length > 40, "description too short: " + description);
        var examples = host.InvokeScript("@((Get-Help $name -Full).Examples.Example).Count", new Dictionary<string, object?> { ["name"] = cmdlet }).Single();
        Assert.True((int)examples.BaseObject >= 2);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Help_documents_every_parameter(string cmdlet)
    {
        var vars = new Dictionary<string, object?> { ["name"] = cmdlet };
        var declared = host.InvokeScript(
            "(Get-Command $name).Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_.Name -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters -and -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) } | ForEach-Object Name",
            vars).Output.Select(o => o.ToString()).ToArray();
        var documented = host.InvokeScript(
            "(Get-Help $name -Full).Parameters.Parameter | Where-Object { ($_.Description.Text -join '').Length -gt 10 } | ForEach-Object { $_.Name }",
            vars).Output.Select(o => o.ToString()).ToArray();

        Assert.NotEmpty(declared);
        Assert.All(declared, p => Assert.Contains(p, documented));
    }

    [Fact]
    public void About_topic_documents_the_finding_codes()
    {
        string about = File.ReadAllText(Path.Combine(Path.GetDirectoryName(host.ModulePath)!, "en-US", "about_MailOps.help.txt"));

        Assert.Contains("SpfTooManyLookups", about);
        Assert.Contains("SpfMultipleRecords", about);
        Assert.Contains("InvalidDomainName", about);
    }

    [Fact]
    public void About_topic_documents_every_finding_code_the_engine_can_emit()
    {
        string about = File.ReadAllText(Path.Combine(Path.GetDirectoryName(host.ModulePath)!, "en-US", "about_MailOps.help.txt"));
        var codes = host.InvokeScript("(Get-Command Get-SpfRecord).OutputType[0].Type.Assembly.GetExportedTypes() | Where-Object { $_.Name -like '*FindingCodes' } | ForEach-Object { $_.GetFields() } | ForEach-Object { $_.GetValue($null) }")
            .Output.Select(o => o.ToString()).ToArray();

        Assert.True(codes.Length >= 100, "expected the finding codes of every area, got " + codes.Length);
        Assert.All(codes, code => Assert.Contains(code, about));
    }

    [Fact]
    public void About_topic_documents_every_error_id()
    {
        string about = File.ReadAllText(Path.Combine(Path.GetDirectoryName(host.ModulePath)!, "en-US", "about_MailOps.help.txt"));
        var ids = host.InvokeScript("[MailOps.ErrorIds].GetFields() | ForEach-Object { $_.GetValue($null) }")
            .Output.Select(o => o.ToString()).ToArray();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains(id, about));
    }
}

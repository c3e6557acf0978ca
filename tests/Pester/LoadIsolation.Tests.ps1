# Mirrors tests/MailOps.PowerShell.Tests/LoadIsolationTests.cs in Pester 5. The #1 complaint about
# peer modules: another module already loaded a different DnsClient and the import fails. A fresh
# host process (tests/MailOps.LoadProbe) loads DnsClient 1.6.1 first, then imports MailOps and runs
# Test-SpfRecord against a DNS test server; it prints key=value lines that are checked here.
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.LoadProbe and MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is
# installed. Needs `dotnet` on PATH, and pwsh on .NET 10 or later (PowerShell 7.6+) for the
# TestSupport DNS server.

Describe 'Load isolation' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsTestSupport
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt('contoso.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
        $server = New-TestDnsServer -Zone $zone

        # The values of one key of the probe's key=value lines (none, one or several).
        function Get-ProbeValue {
            param([object] $Lines, [string] $Key)
            if ($Lines.ContainsKey($Key)) {
                $Lines[$Key].ToArray()
            }
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'MailOps runs in a session that already loaded DnsClient 1.6.1' {
        $probe = Get-MailOpsLoadProbe
        [System.IO.File]::Exists($probe) | Should -BeTrue -Because "build the solution in Release first: $probe"

        $dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { 'dotnet' }
        $psi = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        foreach ($argument in @($probe, (Get-MailOpsModuleManifest), $server.Endpoint, 'contoso.example', '192.0.2.10')) {
            $psi.ArgumentList.Add($argument)
        }

        $process = [System.Diagnostics.Process]::Start($psi)
        try {
            $stderrTask = $process.StandardError.ReadToEndAsync()
            $output = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            $stderr = $stderrTask.GetAwaiter().GetResult()
            $exitCode = $process.ExitCode
        }
        finally {
            $process.Dispose()
        }

        # Like the xunit test's ToLookup: keys are case-sensitive, a key may repeat.
        $lines = [System.Collections.Generic.Dictionary[string, System.Collections.Generic.List[string]]]::new([System.StringComparer]::Ordinal)
        foreach ($line in $output -split "`n") {
            $text = $line.Trim()
            $at = $text.IndexOf('=')
            if ($at -lt 0) {
                continue
            }

            $key = $text.Substring(0, $at)
            if (-not $lines.ContainsKey($key)) {
                $lines[$key] = [System.Collections.Generic.List[string]]::new()
            }

            $lines[$key].Add($text.Substring($at + 1))
        }

        $exitCode | Should -Be 0 -Because ($output + $stderr)
        $sessionDnsClient = @(Get-ProbeValue -Lines $lines -Key 'session-dnsclient')
        $sessionDnsClient | Should -HaveCount 1 -Because $output
        $sessionDnsClient[0] | Should -BeExactly '1.6.1.0'
        $result = @(Get-ProbeValue -Lines $lines -Key 'result')
        $result | Should -HaveCount 1 -Because $output
        $result[0] | Should -BeExactly 'Pass'
        @(Get-ProbeValue -Lines $lines -Key 'error') | Should -HaveCount 0 -Because $output
        @(Get-ProbeValue -Lines $lines -Key 'terminating') | Should -HaveCount 0 -Because $output
        $coreContext = @(Get-ProbeValue -Lines $lines -Key 'mailops-core-context')
        $coreContext | Should -HaveCount 1 -Because $output
        $coreContext[0] | Should -Not -BeExactly 'System.Runtime.Loader.DefaultAssemblyLoadContext'
        $mailOpsDnsClient = @(Get-ProbeValue -Lines $lines -Key 'mailops-dnsclient')
        $mailOpsDnsClient | Should -HaveCount 1 -Because $output
        $mailOpsDnsClient[0] | Should -BeExactly '1.8.0.0'
        $defaultDnsClient = @(Get-ProbeValue -Lines $lines -Key 'default-dnsclient')
        $defaultDnsClient | Should -HaveCount 1 -Because $output
        $defaultDnsClient[0] | Should -BeExactly '1.6.1.0'
    }
}

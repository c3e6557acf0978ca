# Mirrors tests/MailOps.PowerShell.Tests/OpenSpfSuiteTests.cs in Pester 5: the OpenSPF RFC 7208
# suite (tests/Conformance/spf/rfc7208-tests.yml, 203 tests) through the real path: pwsh, then
# Test-SpfRecord -Server 127.0.0.1:port, then DnsClient, then the wire-protocol test server.
# Driver rules as in tests/Conformance/README.md: the test's host is -IPAddress, its mailfrom
# -Sender ("" is the null sender, checked as postmaster@helo), its helo -HeloName; no -Domain, so
# the cmdlet picks the domain as a receiver does. TIMEOUT names answer SERVFAIL here (the README
# allows either) so the run stays fast. Each scenario's zone gets its own DNS test server,
# started in the BeforeAll of that scenario's Context.
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server.

BeforeDiscovery {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))

    # One Context per scenario, one It per test: computed here because -ForEach data must exist
    # at discovery time.
    $scenarios = @()
    try {
        $discoveredSuite = Get-OpenSpfSuite
        $scenarios = @(
            foreach ($scenario in $discoveredSuite.Scenarios) {
                @{
                    ScenarioName  = $scenario.Description
                    ScenarioZone  = $scenario.Zone
                    ScenarioTests = @(
                        foreach ($test in $scenario.Tests) {
                            @{
                                TestName        = $test.Name
                                Spec            = $test.Spec
                                # Not "Host": $Host is PowerShell's read-only automatic variable.
                                ClientIp        = $test.Host
                                MailFrom        = $test.MailFrom
                                Helo            = $test.Helo
                                ExpectedResults = [string[]] @($test.Results)
                                HasExplanation  = $null -ne $test.Explanation
                                Explanation     = $test.Explanation
                            }
                        }
                    )
                }
            }
        )
    }
    catch {
        # No scenario Contexts then; the Describe's BeforeAll loads the suite again, so
        # 'Suite has 203 tests' fails with this same error instead of the file failing silently.
        Write-Warning "OpenSPF suite not loaded during discovery: $($_.Exception.Message)"
    }
}

Describe 'OpenSPF RFC 7208 suite through Test-SpfRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        $suite = Get-OpenSpfSuite
    }

    It 'Suite has 203 tests' {
        $suite.TestCount | Should -Be 203
    }

    Context '<ScenarioName>' -ForEach $scenarios {
        BeforeAll {
            $server = New-TestDnsServer -Zone $ScenarioZone
        }

        AfterAll {
            if ($server) {
                $server.Dispose()
            }
        }

        It 'Test-SpfRecord conforms on <TestName>' -ForEach $ScenarioTests {
            $r = @(Test-SpfRecord -IPAddress $ClientIp -Sender $MailFrom -HeloName $Helo -Server $server.Endpoint -TimeoutSec 2 -ErrorVariable err -ErrorAction SilentlyContinue)

            $err | Should -HaveCount 0
            $r | Should -HaveCount 1
            $result = $r[0]
            $actual = ([string] $result.Result).ToLowerInvariant()
            $trace = @($result.Trace) -join "`n"
            $actual | Should -BeIn $ExpectedResults -Because "$TestName ($Spec): expected $($ExpectedResults -join ' or '), got $actual`n$trace"
            if ($HasExplanation) {
                # "DEFAULT" is what the reference driver sets as the receiver's default explanation:
                # it means no exp= text applied, which Test-SpfRecord reports as a null Explanation.
                $expected = if ($Explanation -ceq 'DEFAULT') { $null } else { $Explanation }
                $result.Explanation | Should -BeExactly $expected -Because "$TestName ($Spec) explanation`n$trace"
            }
        }
    }
}

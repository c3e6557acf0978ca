# Mirrors tests/MailOps.PowerShell.Tests/TlsRptRecordTests.cs in Pester 5: Get-TlsRptRecord through
# real pwsh and a real DNS server on loopback, with the TLS-RPT records of MxFixture.cs.
# Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10 (PowerShell 7.6+).

Describe 'Get-TlsRptRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt('_smtp._tls.contoso.example', [string[]] @('v=TLSRPTv1; rua=mailto:tls-reports@contoso.example,https://reports.contoso.example/tlsrpt'))
        $null = $zone.AddTxt('_smtp._tls.fabrikam.example', [string[]] @('v=TLSRPTv1; rua=http://reports.fabrikam.example/'))
        $null = $zone.AddTxt('_smtp._tls.slow.example', [string[]] @('v=TLSRPTv1; rua=mailto:tls@slow.example'))
        $null = $zone.AddA('nomx.example', '198.51.100.27')
        $server = New-TestDnsServer -Zone $zone
        $server.SetLatency('_smtp._tls.slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'A valid record gives its report uris' {
        $r = @(Get-TlsRptRecord -Domain 'contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].IsValid | Should -BeTrue
        ($r[0].ReportUri -is [string[]]) | Should -BeTrue
        $r[0].ReportUri | Should -BeExactly @('mailto:tls-reports@contoso.example', 'https://reports.contoso.example/tlsrpt')
        @($r[0].Findings) | Should -HaveCount 0
    }

    It 'An http uri is a TlsRptBadUri error finding' {
        $r = @(Get-TlsRptRecord -Domain 'fabrikam.example' -Server $dns)

        $r[0].IsValid | Should -BeFalse
        $f = @($r[0].Findings)
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
        $f[0].Code | Should -BeExactly 'TlsRptBadUri'
    }

    It 'No record is a TlsRptNoRecord info finding' {
        $r = @(Get-TlsRptRecord -Domain 'nomx.example' -Server $dns)

        $r[0].Record | Should -Be $null
        $f = @($r[0].Findings)
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Info'
        $f[0].Code | Should -BeExactly 'TlsRptNoRecord'
    }

    It 'Csv-like rows come back in input order' {
        $rows = @('Domain', 'slow.example', 'contoso.example') | ConvertFrom-Csv

        $r = @($rows | Get-TlsRptRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('slow.example', 'contoso.example')
    }

    It 'Invalid domain is an error and the other domains still run' {
        $r = @(Get-TlsRptRecord -Domain 'contoso.example', 'not a domain', 'fabrikam.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 2
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].TargetObject | Should -BeExactly 'not a domain'
    }
}

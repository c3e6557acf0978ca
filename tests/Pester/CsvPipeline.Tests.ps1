# Mirrors tests/MailOps.PowerShell.Tests/CsvPipelineTests.cs in Pester 5: Import-Csv rows with a
# Domain column bind to -Domain of every domain cmdlet.
# Needs `dotnet build MailOps.sln -c Release` first; PowerShell 7.6+ for the TestSupport DNS server.

BeforeDiscovery {
    $cases = @(
        @{ Cmdlet = 'Get-SpfRecord'; Extra = @{} }
        @{ Cmdlet = 'Get-SpfIpRange'; Extra = @{} }
        @{ Cmdlet = 'Get-DmarcPolicy'; Extra = @{} }
        @{ Cmdlet = 'Get-DkimRecord'; Extra = @{ Selector = 's1' } }
        @{ Cmdlet = 'Get-MxRecord'; Extra = @{} }
        @{ Cmdlet = 'Get-MtaStsPolicy'; Extra = @{} }
        @{ Cmdlet = 'Get-TlsRptRecord'; Extra = @{} }
        @{ Cmdlet = 'Get-BimiRecord'; Extra = @{} }
        @{ Cmdlet = 'Test-DnsBlocklist'; Extra = @{ Blocklist = 'dbl.test.example' } }
        @{ Cmdlet = 'Test-MailDomain'; Extra = @{} }
        @{ Cmdlet = 'New-SpfInclude'; Extra = @{ Include = 'include.example' } }
    )
}

Describe 'Csv rows with a Domain column' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddMx('one.example', 10, 'mail.one.example')
        $null = $zone.AddA('mail.one.example', '192.0.2.1')
        $null = $zone.AddTxt('one.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
        $null = $zone.AddTxt('_dmarc.one.example', [string[]] @('v=DMARC1; p=reject'))
        $null = $zone.AddMx('two.example', 10, 'mail.two.example')
        $null = $zone.AddA('mail.two.example', '192.0.2.2')
        $null = $zone.AddTxt('two.example', [string[]] @('v=spf1 ip4:198.51.100.0/24 -all'))
        $null = $zone.AddTxt('_dmarc.two.example', [string[]] @('v=DMARC1; p=none'))
        $server = New-TestDnsServer -Zone $zone
        $dns = $server.Endpoint
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'bind to -Domain of <Cmdlet>' -ForEach $cases {
        $extra = $Extra
        $r = @("Domain,Owner`none.example,a`ntwo.example,b" | ConvertFrom-Csv |
            & $Cmdlet -Server $dns @extra -ErrorVariable err -ErrorAction SilentlyContinue)

        @($err | Where-Object { $_.FullyQualifiedErrorId -like '*Parameter*' }) | Should -HaveCount 0
        $domains = @($r | ForEach-Object { if ($_.Domain) { $_.Domain } else { $_.Target } } | Select-Object -Unique)
        $domains | Should -Be @('one.example', 'two.example')
    }
}

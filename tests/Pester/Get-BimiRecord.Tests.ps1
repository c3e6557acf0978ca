# Mirrors tests/MailOps.PowerShell.Tests/BimiRecordTests.cs in Pester 5: Get-BimiRecord through
# real pwsh and a real DNS server on loopback, with the BIMI records of MxFixture.cs.
# Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10 (PowerShell 7.6+).

Describe 'Get-BimiRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt('default._bimi.contoso.example', [string[]] @('v=BIMI1; l=https://contoso.example/logo.svg; a=https://contoso.example/vmc.pem'))
        $null = $zone.AddTxt('brand._bimi.contoso.example', [string[]] @('v=BIMI1; l=https://contoso.example/brand.svg'))
        $null = $zone.AddTxt('default._bimi.fabrikam.example', [string[]] @('v=BIMI1; l=; a=;'))
        $null = $zone.AddTxt('default._bimi.slow.example', [string[]] @('v=BIMI1; l=http://slow.example/logo.svg'))
        $null = $zone.AddA('nomx.example', '198.51.100.27')
        $server = New-TestDnsServer -Zone $zone
        $server.SetLatency('default._bimi.slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'The default selector record gives logo and evidence urls' {
        $r = @(Get-BimiRecord -Domain 'contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Selector | Should -BeExactly 'default'
        $r[0].LogoUrl | Should -BeExactly 'https://contoso.example/logo.svg'
        $r[0].AuthorityUrl | Should -BeExactly 'https://contoso.example/vmc.pem'
        $r[0].IsValid | Should -BeTrue
        @($r[0].Findings) | Should -HaveCount 0
    }

    It 'Selector reads another record which lacks evidence' {
        $r = @(Get-BimiRecord -Domain 'contoso.example' -Selector 'brand' -Server $dns)

        $r[0].LogoUrl | Should -BeExactly 'https://contoso.example/brand.svg'
        $f = @($r[0].Findings)
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Info'
        $f[0].Code | Should -BeExactly 'BimiNoAuthority'
    }

    It 'An invalid selector stops the command with InvalidBimiSelector' {
        $caught = $null
        $r = @()
        try {
            $r = @(Get-BimiRecord -Domain 'contoso.example' -Selector 'bad selector' -Server $dns -ErrorAction Stop)
        }
        catch {
            $caught = $_
        }

        $r | Should -HaveCount 0
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidBimiSelector*'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
    }

    It 'An empty logo is a BimiDeclined finding' {
        $r = @(Get-BimiRecord -Domain 'fabrikam.example' -Server $dns)

        $r[0].LogoUrl | Should -Be $null
        @($r[0].Findings).Code | Should -BeExactly @('BimiDeclined')
    }

    It 'An http logo is a BimiLogoNotHttps error' {
        $r = @(Get-BimiRecord -Domain 'slow.example' -Server $dns)

        $r[0].IsValid | Should -BeFalse
        @($r[0].Findings | Where-Object { $_.Code -ceq 'BimiLogoNotHttps' -and [string] $_.Severity -ceq 'Error' }) | Should -HaveCount 1
    }

    It 'No record is a BimiNoRecord info finding' {
        $f = @((Get-BimiRecord -Domain 'nomx.example' -Server $dns).Findings)

        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Info'
        $f[0].Code | Should -BeExactly 'BimiNoRecord'
    }

    It 'Csv-like rows come back in input order and an invalid domain is an error' {
        $rows = @('Domain', 'slow.example', '-bad-.example', 'contoso.example') | ConvertFrom-Csv

        $r = @($rows | Get-BimiRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Domain | Should -BeExactly @('slow.example', 'contoso.example')
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].TargetObject | Should -BeExactly '-bad-.example'
    }
}

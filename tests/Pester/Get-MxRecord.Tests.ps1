# Mirrors tests/MailOps.PowerShell.Tests/MxRecordTests.cs in Pester 5: Get-MxRecord through real
# pwsh and a real DNS server on loopback, with the zone of MxFixture.cs (built below).
# Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10 (PowerShell 7.6+).

Describe 'Get-MxRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        # The zone of MxFixture.cs. AddTxt gets a [string[]] so the string overload is chosen.
        function New-MxFixtureZone {
            $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
            $null = $zone.AddMx('contoso.example', 5, 'alt1.aspmx.l.google.com')
            $null = $zone.AddMx('contoso.example', 1, 'aspmx.l.google.com')
            $null = $zone.AddA('aspmx.l.google.com', '142.250.0.26')
            $null = $zone.AddAaaa('aspmx.l.google.com', '2607:f8b0:4004:c1b::1a')
            $null = $zone.AddA('alt1.aspmx.l.google.com', '142.250.0.27')
            $null = $zone.AddMx('fabrikam.example', 10, 'mail.fabrikam.example')
            $null = $zone.AddA('mail.fabrikam.example', '198.51.100.25')
            $null = $zone.AddMx('slow.example', 10, 'mail.slow.example')
            $null = $zone.AddA('mail.slow.example', '198.51.100.26')
            $null = $zone.AddMx('nullmx.example', 0, '.')
            $null = $zone.AddA('nomx.example', '198.51.100.27')
            $null = $zone.AddMx('nowhere.example', 10, 'gone.nowhere.example')
            $null = $zone.AddMx('alias.example', 10, 'mail.alias.example')
            $null = $zone.AddCname('mail.alias.example', 'host.alias.example')
            $null = $zone.AddA('host.alias.example', '198.51.100.28')
            $zone
        }

        $server = New-TestDnsServer -Zone (New-MxFixtureZone)
        # '*' is the all-types key (PowerShell would pass $null to a .NET string as '').
        $server.SetLatency('slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint

        function Get-FindingCode {
            param([object] $Findings)
            @($Findings | ForEach-Object { [string] $_.Code })
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'Each mx is its own row sorted by preference with addresses and provider' {
        $r = @(Get-MxRecord -Domain 'contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Exchange | Should -BeExactly @('aspmx.l.google.com', 'alt1.aspmx.l.google.com')
        $r.Preference | Should -Be @(1, 5)
        $r | ForEach-Object { $_.Provider | Should -BeExactly 'Google Workspace' }
        $r | ForEach-Object { $_.Domain | Should -BeExactly 'contoso.example' }
        $r | ForEach-Object { @($_.Findings) | Should -HaveCount 0 }
    }

    It 'IPAddress holds every A and AAAA of the exchange as IPAddress objects' {
        $r = @(Get-MxRecord -Domain 'contoso.example' -Server $dns)

        ($r[0].IPAddress -is [System.Net.IPAddress[]]) | Should -BeTrue
        $r[0].IPAddress | Should -Be @([System.Net.IPAddress]::Parse('142.250.0.26'), [System.Net.IPAddress]::Parse('2607:f8b0:4004:c1b::1a'))
    }

    It 'A self-hosted mx has no provider' {
        $r = @(Get-MxRecord -Domain 'fabrikam.example' -Server $dns)

        $r | Should -HaveCount 1
        $r[0].Provider | Should -Be $null
        $r[0].Exchange | Should -BeExactly 'mail.fabrikam.example'
    }

    It 'A null mx is one row with IsNullMx' {
        $r = @(Get-MxRecord -Domain 'nullmx.example' -Server $dns)

        $r | Should -HaveCount 1
        $r[0].IsNullMx | Should -BeTrue
        $r[0].Exchange | Should -BeExactly '.'
        Get-FindingCode $r[0].Findings | Should -BeExactly @('MxNullMx')
    }

    It 'A domain without mx is one row with a null exchange and MxNoRecord' {
        $r = @(Get-MxRecord -Domain 'nomx.example' -Server $dns)

        $r | Should -HaveCount 1
        $r[0].Exchange | Should -Be $null
        $f = @($r[0].Findings)
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Info'
        $f[0].Code | Should -BeExactly 'MxNoRecord'
        $f[0].Message | Should -BeLike '*198.51.100.27*'
    }

    It 'A domain that does not exist is a row with MxDomainNotFound, not an error' {
        $r = @(Get-MxRecord -Domain 'missing.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        Get-FindingCode $r[0].Findings | Should -BeExactly @('MxDomainNotFound')
    }

    It 'An mx without address is an MxNoAddress error finding' {
        $f = @((Get-MxRecord -Domain 'nowhere.example' -Server $dns).Findings)

        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
        $f[0].Code | Should -BeExactly 'MxNoAddress'
        $f[0].Term | Should -BeExactly 'gone.nowhere.example'
    }

    It 'An mx that is an alias is an MxTargetIsCname warning' {
        $f = @((Get-MxRecord -Domain 'alias.example' -Server $dns).Findings)

        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Warning'
        $f[0].Code | Should -BeExactly 'MxTargetIsCname'
        $f[0].Term | Should -BeExactly 'host.alias.example'
    }

    It 'Rows of several domains come back in input order' {
        $r = @(Get-MxRecord -Domain 'slow.example', 'fabrikam.example', 'contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('slow.example', 'fabrikam.example', 'contoso.example', 'contoso.example')
    }

    It 'Csv-like rows bind Domain by property name' {
        $rows = @(
            'Domain,Owner'
            'fabrikam.example,it'
            'nullmx.example,hr'
        ) | ConvertFrom-Csv

        $r = @($rows | Get-MxRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('fabrikam.example', 'nullmx.example')
    }

    It 'Rows pipe into Where-Object one by one' {
        $r = @(Get-MxRecord contoso.example -Server $dns | Where-Object Preference -gt 1)

        $r | Should -HaveCount 1
        $r[0].Exchange | Should -BeExactly 'alt1.aspmx.l.google.com'
    }

    It 'Invalid domain is an error and the other domains still run' {
        $r = @(Get-MxRecord -Domain 'fabrikam.example', 'bad..example', 'nullmx.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Domain | Should -BeExactly @('fabrikam.example', 'nullmx.example')
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $err[0].TargetObject | Should -BeExactly 'bad..example'
    }

    It 'Verbose shows the dns questions' {
        $verbose = Get-MxRecord fabrikam.example -Server $dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        @($verbose | Where-Object { $_.StartsWith('DNS MX fabrikam.example') }) | Should -Not -BeNullOrEmpty
        @($verbose | Where-Object { $_.StartsWith('DNS A mail.fabrikam.example') }) | Should -Not -BeNullOrEmpty
    }
}

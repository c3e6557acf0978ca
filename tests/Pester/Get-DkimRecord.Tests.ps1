# Mirrors tests/MailOps.PowerShell.Tests/DkimRecordTests.cs in Pester 5: Get-DkimRecord through
# real pwsh and a real DNS server on loopback, with the zone of DkimFixture.cs (built below).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server and for
# RSA.ExportSubjectPublicKeyInfo.
#
# Where the xunit test takes .Single(), these tests check the same three things: no error, one
# output object, then its properties.

Describe 'Get-DkimRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        # The RFC 8463 appendix A Ed25519 key (selector brisbane).
        $ed25519Key = '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='
        $rsa2048 = [System.Security.Cryptography.RSA]::Create(2048)
        $rsa1024 = [System.Security.Cryptography.RSA]::Create(1024)
        $key2048 = [System.Convert]::ToBase64String($rsa2048.ExportSubjectPublicKeyInfo())
        $key1024 = [System.Convert]::ToBase64String($rsa1024.ExportSubjectPublicKeyInfo())

        # A key record as DNS publishers store it: character-strings of at most 255 octets
        # (RFC 1035 section 3.3.14), which readers join with nothing between them.
        function Split-TxtString {
            param([string] $Record)
            [string[]] @(for ($i = 0; $i -lt $Record.Length; $i += 255) {
                $Record.Substring($i, [System.Math]::Min(255, $Record.Length - $i))
            })
        }

        # The zone of DkimFixture.cs. Every Add* returns the zone (fluent); $null = discards it.
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt('contoso.example', [string[]] @('v=spf1 include:sendgrid.example ~all'))
        $null = $zone.AddTxt('google._domainkey.contoso.example', (Split-TxtString "v=DKIM1; k=rsa; p=$key2048"))
        $null = $zone.AddTxt('selector1._domainkey.contoso.example', (Split-TxtString "v=DKIM1; k=rsa; p=$key2048"))
        $null = $zone.AddTxt('selector2._domainkey.contoso.example', (Split-TxtString "v=DKIM1; k=rsa; p=$key1024"))
        $null = $zone.AddCname('s1._domainkey.contoso.example', 's1.domainkey.u123.wl.sendgrid.example')
        $null = $zone.AddTxt('s1.domainkey.u123.wl.sendgrid.example', (Split-TxtString "k=rsa; t=s; p=$key2048"))
        $null = $zone.AddTxt('brisbane._domainkey.football.example', (Split-TxtString "v=DKIM1; k=ed25519; p=$ed25519Key"))
        $null = $zone.AddTxt('dkim._domainkey.testing.example', (Split-TxtString "v=DKIM1; t=y; p=$key2048"))
        $null = $zone.AddTxt('default._domainkey.slow.example', (Split-TxtString "v=DKIM1; p=$key2048"))
        $null = $zone.AddA('nokey.example', '192.0.2.10')
        $null = $zone.AddTxt('nokey.example', [string[]] @('v=spf1 -all'))

        $server = New-TestDnsServer -Zone $zone
        $server.SetFault('selector1._domainkey.servfail.example', 'TXT', [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
        # '*' is the all-types key (a $null type would reach .NET as '').
        $server.SetLatency('default._domainkey.slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint

        # The Code of every finding on a record, as strings (DkimRecordTests.Codes).
        function Get-FindingCode {
            param([object] $Findings)
            @($Findings | ForEach-Object { [string] $_.Code })
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }

        if ($rsa2048) {
            $rsa2048.Dispose()
            $rsa1024.Dispose()
        }
    }

    It 'Explicit selector returns one DkimRecord with key type and size' {
        $r = @(Get-DkimRecord -Domain 'contoso.example' -Selector 'selector1' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].PSObject.TypeNames[0] | Should -BeExactly 'MailOps.Core.Dkim.DkimRecord'
        $r[0].Domain | Should -BeExactly 'contoso.example'
        $r[0].Selector | Should -BeExactly 'selector1'
        $r[0].Name | Should -BeExactly 'selector1._domainkey.contoso.example'
        [string] $r[0].KeyType | Should -BeExactly 'Rsa'
        $r[0].KeySize | Should -Be 2048
        $r[0].Record | Should -BeExactly "v=DKIM1; k=rsa; p=$key2048"
        Get-FindingCode $r[0].Findings | Should -HaveCount 0
    }

    It 'Probing without selector reports every key found in catalogue order' {
        $r = @(Get-DkimRecord -Domain 'contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { $_.Selector }) | Should -Be @('google', 'selector1', 'selector2', 's1')
        @($r[0..2] | ForEach-Object { $_.Provider }) | Should -Be @('Google Workspace', 'Microsoft 365', 'Microsoft 365')
    }

    It 'Key of 1024 bits carries a DkimKeyUpgradeRecommended warning' {
        $r = @(Get-DkimRecord -Domain 'contoso.example' -Selector 'selector2' -Server $dns)

        $r | Should -HaveCount 1
        $r[0].KeySize | Should -Be 1024
        $findings = @($r[0].Findings)
        $findings | Should -HaveCount 1
        $findings[0].Code | Should -BeExactly 'DkimKeyUpgradeRecommended'
        [string] $findings[0].Severity | Should -BeExactly 'Warning'
    }

    It 'Cname delegated key reports the provider name it is read from' {
        $r = @(Get-DkimRecord -Domain 'contoso.example' -Selector 's1' -Server $dns)

        $r | Should -HaveCount 1
        $r[0].Name | Should -BeExactly 's1._domainkey.contoso.example'
        $r[0].CnameTarget | Should -BeExactly 's1.domainkey.u123.wl.sendgrid.example'
        $r[0].KeySize | Should -Be 2048
    }

    It 'Ed25519 key is 256 bits' {
        $r = @(Get-DkimRecord -Domain 'football.example' -Selector 'brisbane' -Server $dns)

        $r | Should -HaveCount 1
        [string] $r[0].KeyType | Should -BeExactly 'Ed25519'
        $r[0].KeySize | Should -Be 256
        Get-FindingCode $r[0].Findings | Should -HaveCount 0
    }

    It 'Testing flag sets IsTesting and a DkimTestingMode finding' {
        $r = @(Get-DkimRecord -Domain 'testing.example' -Selector 'dkim' -Server $dns)

        $r | Should -HaveCount 1
        $r[0].IsTesting | Should -BeTrue
        Get-FindingCode $r[0].Findings | Should -Contain 'DkimTestingMode'
    }

    It 'Domain without any common selector returns one object with DkimNoSelectorFound' {
        $r = @(Get-DkimRecord -Domain 'nokey.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Domain | Should -BeExactly 'nokey.example'
        $r[0].Selector | Should -BeNullOrEmpty
        $r[0].KeyType | Should -BeNullOrEmpty
        $findings = @($r[0].Findings)
        $findings | Should -HaveCount 1
        $findings[0].Code | Should -BeExactly 'DkimNoSelectorFound'
        [string] $findings[0].Severity | Should -BeExactly 'Warning'
        $findings[0].Message | Should -BeLike '*-Selector*'
    }

    It 'Explicit selector without a key is a DkimKeyNotFound finding, not an error' {
        $r = @(Get-DkimRecord -Domain 'contoso.example' -Selector 'nosuch', 'selector1' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { $_.Selector }) | Should -Be @('nosuch', 'selector1')
        $findings = @($r[0].Findings)
        $findings | Should -HaveCount 1
        $findings[0].Code | Should -BeExactly 'DkimKeyNotFound'
        [string] $findings[0].Severity | Should -BeExactly 'Error'
    }

    It 'Servfail is a DkimDnsError finding so audits keep the row' {
        $r = @(Get-DkimRecord -Domain 'servfail.example' -Selector 'selector1' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeNullOrEmpty
        Get-FindingCode $r[0].Findings | Should -Be @('DkimDnsError')
    }

    It 'Several domains come back in input order' {
        $r = @(Get-DkimRecord -Domain 'slow.example', 'contoso.example', 'football.example' -Selector 'default', 'selector1', 'brisbane' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { $_.Domain }) | Should -Be @(
            'slow.example', 'slow.example', 'slow.example',
            'contoso.example', 'contoso.example', 'contoso.example',
            'football.example', 'football.example', 'football.example')
        @($r[0..2] | ForEach-Object { $_.Selector }) | Should -Be @('default', 'selector1', 'brisbane')
    }

    It 'Csv like rows bind Domain and Selector by property name and an empty selector probes' {
        $rows = @(
            [pscustomobject]@{ Domain = 'contoso.example'; Selector = 's1' },
            [pscustomobject]@{ Domain = 'football.example'; Selector = 'brisbane' },
            [pscustomobject]@{ Domain = 'nokey.example'; Selector = '' }
        )

        $r = @($rows | Get-DkimRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { $_.Domain }) | Should -Be @('contoso.example', 'football.example', 'nokey.example')
        $r[0].Selector | Should -BeExactly 's1'
        $r[1].Selector | Should -BeExactly 'brisbane'
        Get-FindingCode $r[2].Findings | Should -Be @('DkimNoSelectorFound')
    }

    It 'Csv like rows with only a Domain column probe each domain' {
        $rows = @(
            [pscustomobject]@{ Domain = 'football.example'; Owner = 'it' },
            [pscustomobject]@{ Domain = 'testing.example'; Owner = 'hr' }
        )

        $r = @($rows | Get-DkimRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        # brisbane is not a common selector, so football.example has no key to find by probing.
        @($r | ForEach-Object { $_.Domain }) | Should -Be @('football.example', 'testing.example')
        $r[0].Selector | Should -BeNullOrEmpty
        $r[1].Selector | Should -BeExactly 'dkim'
    }

    It 'Invalid domain is an error and the other domains still run' {
        $r = @(Get-DkimRecord -Domain 'contoso.example', 'bad..example', 'football.example' -Selector 'selector1', 'brisbane' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName*'
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
        $err[0].TargetObject | Should -BeExactly 'bad..example'
        @($r | ForEach-Object { $_.Domain }) | Should -Be @('contoso.example', 'contoso.example', 'football.example', 'football.example')
    }

    It 'Invalid selector is an InvalidDkimSelector error and the valid selectors still run' {
        $r = @(Get-DkimRecord -Domain 'contoso.example', 'football.example' -Selector 'bad selector', 'selector1' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDkimSelector*'
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
        $err[0].TargetObject | Should -BeExactly 'bad selector'
        @($r | ForEach-Object { $_.Selector }) | Should -Be @('selector1', 'selector1')
        Get-FindingCode $r[1].Findings | Should -Be @('DkimKeyNotFound')
    }

    It 'Only invalid selectors write errors and probe nothing' {
        $server.ClearLog()

        $r = @(Get-DkimRecord -Domain 'nokey.example' -Selector 'selector1._domainkey.nokey.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDkimSelector*'
        $server.CountQueries('google._domainkey.nokey.example', 'TXT') | Should -Be 0
    }

    It 'Verbose shows the dns queries and the key found' {
        $verbose = @(Get-DkimRecord -Domain 'contoso.example' -Selector 's1' -Server $dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } |
            ForEach-Object { $_.Message })

        $verbose | Where-Object { $_.StartsWith('DNS TXT s1._domainkey.contoso.example') } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_.StartsWith('DNS CNAME s1._domainkey.contoso.example') } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_.Contains('key found (rsa, 2048 bits) via CNAME s1.domainkey.u123.wl.sendgrid.example') } | Should -Not -BeNullOrEmpty
    }

    It 'Findings filter by severity in a pipeline' {
        $r = @(Get-DkimRecord contoso.example -Server $dns | Where-Object { $_.Findings.Severity -contains 'Warning' } |
            ForEach-Object Selector)

        $r | Should -Be @('selector2')
    }
}

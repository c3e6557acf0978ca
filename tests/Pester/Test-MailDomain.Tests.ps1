# Mirrors tests/MailOps.PowerShell.Tests/MailDomainTests.cs in Pester 5: Test-MailDomain through
# real pwsh and a real DNS server on loopback (the zone of MailDomainFixture).
# Needs `dotnet build MailOps.sln -c Release` first; ./build.ps1 -Test runs this folder when
# Pester 5 is installed. Needs PowerShell 7.6+ for the TestSupport DNS server.

Describe 'Test-MailDomain' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $key = [Convert]::ToBase64String([System.Security.Cryptography.RSA]::Create(2048).ExportSubjectPublicKeyInfo())
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddA('aspmx.l.google.com', '142.250.102.26')
        $null = $zone.AddTxt('_spf.google.com', [string[]] @('v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ~all'))
        $null = $zone.AddMx('good.example', 1, 'aspmx.l.google.com')
        $null = $zone.AddTxt('good.example', [string[]] @('v=spf1 include:_spf.google.com -all'))
        $null = $zone.AddLongTxt('google._domainkey.good.example', "v=DKIM1; k=rsa; p=$key")
        $null = $zone.AddTxt('_dmarc.good.example', [string[]] @('v=DMARC1; p=reject; rua=mailto:dmarc@good.example'))
        $null = $zone.AddTxt('_smtp._tls.good.example', [string[]] @('v=TLSRPTv1; rua=mailto:tlsrpt@good.example'))
        $null = $zone.AddMx('noinclude.example', 1, 'aspmx.l.google.com')
        $null = $zone.AddTxt('noinclude.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
        $null = $zone.AddLongTxt('google._domainkey.noinclude.example', "v=DKIM1; k=rsa; p=$key")
        $null = $zone.AddTxt('_dmarc.noinclude.example', [string[]] @('v=DMARC1; p=reject; rua=mailto:dmarc@noinclude.example'))
        $null = $zone.AddMx('bimi.example', 10, 'mail.bimi.example')
        $null = $zone.AddA('mail.bimi.example', '192.0.2.25')
        $null = $zone.AddTxt('bimi.example', [string[]] @('v=spf1 mx -all'))
        $null = $zone.AddTxt('_dmarc.bimi.example', [string[]] @('v=DMARC1; p=none; rua=mailto:dmarc@bimi.example'))
        $null = $zone.AddTxt('default._bimi.bimi.example', [string[]] @('v=BIMI1; l=https://bimi.example/logo.svg; a=https://bimi.example/vmc.pem'))
        $null = $zone.AddTxt('slow.example', [string[]] @('v=spf1 -all'))
        $null = $zone.AddTxt('_dmarc.slow.example', [string[]] @('v=DMARC1; p=reject'))
        $server = New-TestDnsServer -Zone $zone
        $server.SetLatency('slow.example', '*', [TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'Domain set up right at google passes with every area filled in' {
        $r = @(Test-MailDomain good.example -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Provider | Should -BeExactly 'Google Workspace'
        [string] $r[0].Status | Should -BeExactly 'Pass'
        $r[0].Score | Should -Be 100
        $r[0].Spf.Record | Should -BeExactly 'v=spf1 include:_spf.google.com -all'
        [string] $r[0].Dmarc.Policy | Should -BeExactly 'Reject'
        @($r[0].Dkim | Where-Object { $_.Selector -eq 'google' -and $_.KeySize -eq 2048 }) | Should -HaveCount 1
        @($r[0].Mx) | Should -HaveCount 1
    }

    It 'Google hosted domain without the google spf include fails with ProviderSpfIncludeMissing' {
        $r = @(Test-MailDomain noinclude.example -Server $dns)

        [string] $r[0].Status | Should -BeExactly 'Fail'
        $finding = @($r[0].Findings | Where-Object Code -EQ 'ProviderSpfIncludeMissing')
        $finding | Should -HaveCount 1
        [string] $finding[0].Area | Should -BeExactly 'Provider'
        $finding[0].Term | Should -BeExactly '_spf.google.com'
    }

    It 'Bimi without dmarc enforcement is reported' {
        $r = @(Test-MailDomain bimi.example -Server $dns)

        @($r[0].Findings | ForEach-Object { [string] $_.Code }) | Should -Contain 'BimiRequiresDmarcEnforcement'
    }

    It 'Quiet is true only without error findings' {
        $r = @('good.example', 'noinclude.example' | Test-MailDomain -Server $dns -Quiet)

        $r | Should -HaveCount 2
        $r[0] | Should -BeTrue
        $r[1] | Should -BeFalse
    }

    It 'Csv rows are audited concurrently and reported in input order' {
        $csv = "Domain,Owner`nslow.example,it`ngood.example,it`nbimi.example,it`nnoinclude.example,it"
        $r = @($csv | ConvertFrom-Csv | Test-MailDomain -Server $dns -ThrottleLimit 4)

        @($r | ForEach-Object Domain) | Should -Be @('slow.example', 'good.example', 'bimi.example', 'noinclude.example')
    }

    It 'Pipeline garbage gets an error per item and the real domains still run' {
        $junk = 1..10000 | ForEach-Object { ([string][char](33 + ($_ % 90))) * 1000 }
        $r = @(@('good.example') + $junk + @('bücher.example', 'noinclude.example') |
            Test-MailDomain -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        @($r | ForEach-Object Domain) | Should -Be @('good.example', 'xn--bcher-kva.example', 'noinclude.example')
        $err | Should -HaveCount 10000
        @($err | Where-Object { $_.FullyQualifiedErrorId -notlike 'InvalidDomainName*' }) | Should -HaveCount 0
    }

    It 'Every finding carries its area' {
        $r = @(Test-MailDomain bimi.example -Server $dns)

        @($r[0].Findings).Count | Should -BeGreaterThan 0
        @($r[0].Findings | Where-Object { -not $_.Area }) | Should -HaveCount 0
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/MtaStsPolicyTests.cs in Pester 5: Get-MtaStsPolicy through
# real pwsh, a real DNS server and a real HTTPS server on port 443 of a random 127.18.x.y
# loopback address (MailOps.TestSupport.Https), with the zone and sites of MtaStsFixture.cs.
# Needs `dotnet build MailOps.sln -c Release` first, pwsh on .NET 10 (PowerShell 7.6+), and the
# right to listen on port 443 (root, or CAP_NET_BIND_SERVICE for pwsh).

Describe 'Get-MtaStsPolicy' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $enforcePolicy = "version: STSv1`r`nmode: enforce`r`nmx: mx1.contoso.example`r`nmx: *.backup.contoso.example`r`nmax_age: 604800`r`n"
        $ca = [MailOps.TestSupport.Https.TestCertificateAuthority]::new('MailOps Test Root CA')
        $rogue = [MailOps.TestSupport.Https.TestCertificateAuthority]::new('Rogue Root')
        $https = [MailOps.TestSupport.Https.HttpsTestServer]::StartOnLoopback($ca.IssueServerCertificate([string[]] @('localhost')), 443)
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()

        # One policy host per domain: the TXT record, mta-sts.<domain> pointing at the HTTPS
        # server, the scripted response and a certificate (for the host unless one is given).
        function Add-Site {
            param([string] $Domain, [object] $Response, [object] $Certificate)
            $hostName = "mta-sts.$Domain"
            $null = $zone.AddTxt("_mta-sts.$Domain", [string[]] @('v=STSv1; id=20250101T000000;'))
            $null = $zone.AddA($hostName, $https.Address)
            if ($null -eq $Certificate) {
                $Certificate = $ca.IssueServerCertificate([string[]] @($hostName))
            }

            $null = $https.SetResponse($hostName, $Response)
            $null = $https.SetCertificate($hostName, $Certificate)
        }

        $ok = { param($body, $type) [MailOps.TestSupport.Https.HttpsTestResponse]::Ok($body, $type) }
        Add-Site 'contoso.example' (& $ok $enforcePolicy 'text/plain')
        $null = $zone.AddMx('contoso.example', 10, 'mx1.contoso.example')
        $null = $zone.AddMx('contoso.example', 20, 'b.backup.contoso.example')
        Add-Site 'testing.example' (& $ok "version: STSv1`nmode: testing`nmx: mx.testing.example`nmax_age: 86400`n" 'text/plain')
        $null = $zone.AddMx('testing.example', 10, 'mx.testing.example')
        Add-Site 'uncovered.example' (& $ok "version: STSv1`nmode: enforce`nmx: mx.uncovered.example`nmax_age: 86400`n" 'text/plain')
        $null = $zone.AddMx('uncovered.example', 10, 'mx.uncovered.example')
        $null = $zone.AddMx('uncovered.example', 20, 'relay.elsewhere.example')
        Add-Site 'redirect.example' ([MailOps.TestSupport.Https.HttpsTestResponse]::Redirect('https://www.redirect.example/.well-known/mta-sts.txt', 301))
        Add-Site 'html.example' (& $ok $enforcePolicy 'text/html; charset=utf-8')
        Add-Site 'badage.example' (& $ok "version: STSv1`nmode: enforce`nmx: mx.badage.example`nmax_age: 99999999`n" 'text/plain')
        Add-Site 'wrongname.example' (& $ok $enforcePolicy 'text/plain') ($ca.IssueServerCertificate([string[]] @('www.wrongname.example')))
        Add-Site 'rogue.example' (& $ok $enforcePolicy 'text/plain') ($rogue.IssueServerCertificate([string[]] @('mta-sts.rogue.example')))
        Add-Site 'slow.example' (& $ok $enforcePolicy 'text/plain')
        $null = $zone.AddMx('slow.example', 10, 'mx1.contoso.example')
        Add-Site 'twice.example' (& $ok $enforcePolicy 'text/plain')
        $null = $zone.AddTxt('_mta-sts.twice.example', [string[]] @('v=STSv1; id=other'))
        $null = $zone.AddTxt('nosts.example', [string[]] @('v=spf1 -all'))

        $server = New-TestDnsServer -Zone $zone
        $server.SetLatency('_mta-sts.slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint
        $root = $ca.Certificate

        function Get-One {
            param([string] $Domain, [switch] $Untrusted)
            if ($Untrusted) {
                @(Get-MtaStsPolicy -Domain $Domain -Server $dns)
            }
            else {
                @(Get-MtaStsPolicy -Domain $Domain -Server $dns -TrustedRootCertificate $root)
            }
        }

        function Get-Finding {
            param([object] $Policy, [string] $Code)
            @($Policy.Findings | Where-Object { $_.Code -ceq $Code })
        }
    }

    AfterAll {
        if ($server) { $server.Dispose() }
        if ($https) { $https.Dispose() }
        if ($ca) { $ca.Dispose() }
        if ($rogue) { $rogue.Dispose() }
    }

    It 'A valid enforce policy is read with its record, mode, patterns and coverage' {
        $p = Get-One 'contoso.example'

        $p | Should -HaveCount 1
        $p[0].IsValid | Should -BeTrue
        @($p[0].Findings) | Should -HaveCount 0
        $p[0].RecordId | Should -BeExactly '20250101T000000'
        $p[0].PolicyUrl | Should -BeExactly 'https://mta-sts.contoso.example/.well-known/mta-sts.txt'
        [string] $p[0].Mode | Should -BeExactly 'Enforce'
        $p[0].MaxAge | Should -Be 604800
        $p[0].MxPatterns | Should -BeExactly @('mx1.contoso.example', '*.backup.contoso.example')
        $p[0].PolicyText | Should -BeExactly $enforcePolicy
        $p[0].MxCoverage.Exchange | Should -BeExactly @('mx1.contoso.example', 'b.backup.contoso.example')
        $p[0].MxCoverage.IsCovered | Should -Be @($true, $true)
        $p[0].MxCoverage.Pattern | Should -BeExactly @('mx1.contoso.example', '*.backup.contoso.example')
    }

    It 'The policy host is reached on port 443 of the address our dns gave' {
        $null = Get-One 'contoso.example'

        $https.Port | Should -Be 443
        @($https.Requests | Where-Object { $_.ServerName -eq 'mta-sts.contoso.example' -and $_.Host -eq 'mta-sts.contoso.example' -and $_.Path -eq '/.well-known/mta-sts.txt' }) |
            Should -Not -BeNullOrEmpty
    }

    It 'Testing mode is an info finding and the policy is valid' {
        $p = Get-One 'testing.example'

        $p[0].IsValid | Should -BeTrue
        [string] $p[0].Mode | Should -BeExactly 'Testing'
        $f = Get-Finding $p[0] 'MtaStsModeTesting'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Info'
    }

    It 'A redirect is an MtaStsRedirect error and is not followed' {
        $p = Get-One 'redirect.example'

        $p[0].IsValid | Should -BeFalse
        $f = Get-Finding $p[0] 'MtaStsRedirect'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
        $f[0].Term | Should -BeExactly 'https://www.redirect.example/.well-known/mta-sts.txt'
        @($https.Requests | Where-Object { $_.Host -eq 'www.redirect.example' }) | Should -HaveCount 0
    }

    It 'A policy served as html is an MtaStsWrongContentType error' {
        $p = Get-One 'html.example'

        $p[0].IsValid | Should -BeFalse
        $f = Get-Finding $p[0] 'MtaStsWrongContentType'
        $f | Should -HaveCount 1
        $f[0].Term | Should -BeExactly 'text/html; charset=utf-8'
    }

    It 'Max age over a year is an MtaStsBadMaxAge error' {
        $p = Get-One 'badage.example'

        $p[0].IsValid | Should -BeFalse
        $f = Get-Finding $p[0] 'MtaStsBadMaxAge'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
    }

    It 'An mx not covered by an enforce policy is an MtaStsMxNotCovered error' {
        $p = Get-One 'uncovered.example'

        $f = Get-Finding $p[0] 'MtaStsMxNotCovered'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
        $f[0].Term | Should -BeExactly 'relay.elsewhere.example'
        $p[0].MxCoverage.IsCovered | Should -Be @($true, $false)
    }

    It 'No txt record is an MtaStsNoRecord info finding and nothing is fetched' {
        $p = Get-One 'nosts.example'

        $p[0].IsValid | Should -BeFalse
        $p[0].Record | Should -Be $null
        $p[0].Mode | Should -Be $null
        $f = Get-Finding $p[0] 'MtaStsNoRecord'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Info'
        @($https.Requests | Where-Object { $_.Host -eq 'mta-sts.nosts.example' }) | Should -HaveCount 0
    }

    It 'Two txt records are an MtaStsMultipleRecords error' {
        $p = Get-One 'twice.example'

        $p[0].IsValid | Should -BeFalse
        $f = Get-Finding $p[0] 'MtaStsMultipleRecords'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
    }

    It 'A certificate for the wrong name is an MtaStsCertificateInvalid error' {
        $p = Get-One 'wrongname.example'

        $p[0].IsValid | Should -BeFalse
        $f = Get-Finding $p[0] 'MtaStsCertificateInvalid'
        $f | Should -HaveCount 1
        [string] $f[0].Severity | Should -BeExactly 'Error'
        $f[0].Message | Should -BeLike '*www.wrongname.example*'
        $p[0].HttpStatusCode | Should -Be $null
    }

    It 'A certificate from an internal ca is untrusted without TrustedRootCertificate' {
        $p = Get-One 'contoso.example' -Untrusted

        $p[0].IsValid | Should -BeFalse
        $f = Get-Finding $p[0] 'MtaStsCertificateInvalid'
        $f | Should -HaveCount 1
        $f[0].Message | Should -BeLike '*-TrustedRootCertificate*'
    }

    It 'TrustedRootCertificate does not make another ca trusted' {
        $p = Get-One 'rogue.example'

        $f = Get-Finding $p[0] 'MtaStsCertificateInvalid'
        $f | Should -HaveCount 1
        $f[0].Message | Should -BeLike '*Rogue Root*'
    }

    It 'Verbose shows the dns questions and every step of the fetch' {
        $verbose = Get-MtaStsPolicy -Domain 'contoso.example' -Server $dns -TrustedRootCertificate $root -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        @($verbose | Where-Object { $_.StartsWith('DNS TXT _mta-sts.contoso.example') }) | Should -Not -BeNullOrEmpty
        @($verbose | Where-Object { $_.StartsWith("MTA-STS: connecting to $($https.Address):443") }) | Should -Not -BeNullOrEmpty
        @($verbose | Where-Object { $_.StartsWith('MTA-STS: TLS') }) | Should -Not -BeNullOrEmpty
        @($verbose | Where-Object { $_.StartsWith('MTA-STS: HTTP/1.1 200 OK') }) | Should -Not -BeNullOrEmpty
    }

    It 'Csv-like rows come back in input order with an error for an invalid domain' {
        $rows = @('Domain', 'slow.example', 'bad..example', 'testing.example') | ConvertFrom-Csv

        $r = @($rows | Get-MtaStsPolicy -Server $dns -TrustedRootCertificate $root -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Domain | Should -BeExactly @('slow.example', 'testing.example')
        $r | ForEach-Object { $_.IsValid | Should -BeTrue }
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].TargetObject | Should -BeExactly 'bad..example'
    }
}

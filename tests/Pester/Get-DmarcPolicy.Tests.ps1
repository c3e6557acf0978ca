# Mirrors tests/MailOps.PowerShell.Tests/DmarcVectorTests.cs and DmarcGetPolicyTests.cs in
# Pester 5: Get-DmarcPolicy through real pwsh and a real DNS server on loopback, with the zone of
# DmarcFixture.cs (built below: the dmarc-vectors.yml discovery and parsing cases plus our own).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server.

BeforeDiscovery {
    # dmarc-vectors.yml opendmarc.parse, in file order: index, IsValid and EffectivePolicy under
    # RFC 7489 (PublicSuffixList), IsValid under RFC 9989 (TreeWalk); '-' means no policy.
    $parseVectors = @(
        @{ Index = 0; Record = 'v=DMARC1; p=none; rf=afrf; rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net'; Valid7489 = $true; Policy = 'None'; Valid9989 = $true }
        @{ Index = 1; Record = 'v=DMARC1; p=none;'; Valid7489 = $true; Policy = 'None'; Valid9989 = $true }
        @{ Index = 2; Record = 'v=DMARC1; p=reject;'; Valid7489 = $true; Policy = 'Reject'; Valid9989 = $true }
        @{ Index = 3; Record = 'v=DMARC1; p=quarantine;'; Valid7489 = $true; Policy = 'Quarantine'; Valid9989 = $true }
        @{ Index = 4; Record = 'v=DMARC1; p=n;'; Valid7489 = $false; Policy = '-'; Valid9989 = $false }
        @{ Index = 5; Record = ''; Valid7489 = $false; Policy = '-'; Valid9989 = $false }
        @{ Index = 6; Record = 'V=BOB'; Valid7489 = $false; Policy = '-'; Valid9989 = $false }
        @{ Index = 7; Record = 'v=DMARC1; p=bob;'; Valid7489 = $false; Policy = '-'; Valid9989 = $false }
        @{ Index = 8; Record = 'v=DMARC1; p=none; sp=bob;'; Valid7489 = $false; Policy = '-'; Valid9989 = $false }
        @{ Index = 9; Record = 'v=DMARC1; p=none; adkim=bob;'; Valid7489 = $false; Policy = 'None'; Valid9989 = $false }
        @{ Index = 10; Record = 'v=DMARC1; p=none; aspf=bob;'; Valid7489 = $false; Policy = 'None'; Valid9989 = $false }
        @{ Index = 11; Record = 'v=DMARC1; p=none; rf=bob;'; Valid7489 = $false; Policy = 'None'; Valid9989 = $true }
        @{ Index = 12; Record = 'v=DMARC1; p=none; ri=bob;'; Valid7489 = $false; Policy = 'None'; Valid9989 = $true }
        @{ Index = 13; Record = 'v=DMARC1; p=none; pct=500;'; Valid7489 = $false; Policy = 'None'; Valid9989 = $true }
        @{ Index = 14; Record = 'v=DMARC1; pct=100;'; Valid7489 = $false; Policy = '-'; Valid9989 = $false }
        @{ Index = 15; Record = 'v=DMARC1; p=none; rua=ftp://abuse.com'; Valid7489 = $true; Policy = 'None'; Valid9989 = $true }
        @{ Index = 16; Record = 'v=DMARC1; p=none; ruf=mailto://abuse.com'; Valid7489 = $true; Policy = 'None'; Valid9989 = $true }
        @{ Index = 17; Record = 'v=DMARC1; p=none; ruf=mailto://abuse.com; foo=bar; buzz=happy;'; Valid7489 = $true; Policy = 'None'; Valid9989 = $true }
        @{ Index = 18; Record = 'v=DMARC1; p=none; rf=000000000000000000000000000000000'; Valid7489 = $false; Policy = 'None'; Valid9989 = $true }
    )
}

Describe 'Get-DmarcPolicy' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        # The parse vectors again (BeforeDiscovery data is not visible in BeforeAll).
        $parseRecords = @(
            'v=DMARC1; p=none; rf=afrf; rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net'
            'v=DMARC1; p=none;'
            'v=DMARC1; p=reject;'
            'v=DMARC1; p=quarantine;'
            'v=DMARC1; p=n;'
            ''
            'V=BOB'
            'v=DMARC1; p=bob;'
            'v=DMARC1; p=none; sp=bob;'
            'v=DMARC1; p=none; adkim=bob;'
            'v=DMARC1; p=none; aspf=bob;'
            'v=DMARC1; p=none; rf=bob;'
            'v=DMARC1; p=none; ri=bob;'
            'v=DMARC1; p=none; pct=500;'
            'v=DMARC1; pct=100;'
            'v=DMARC1; p=none; rua=ftp://abuse.com'
            'v=DMARC1; p=none; ruf=mailto://abuse.com'
            'v=DMARC1; p=none; ruf=mailto://abuse.com; foo=bar; buzz=happy;'
            'v=DMARC1; p=none; rf=000000000000000000000000000000000'
        )

        # The zone of DmarcFixture.cs. AddTxt gets a [string[]] so PowerShell picks the
        # AddTxt(string, params string[]) overload; every Add* returns the zone, hence $null =.
        function New-DmarcFixtureZone {
            $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
            # Name = TXT text; every name appears once, so an ordered dictionary keeps them in order.
            $txt = [ordered]@{
                # authheaders dns_txt
                '_dmarc.example.com' = 'v=DMARC1; p=reject; rua=mailto:dmarc.reports@valimail.com,mailto:dmarc_agg@vali.email; ruf=mailto:dmarc.reports@valimail.com,mailto:dmarc_c0cb7153_afrf@vali.email'
                '_dmarc.example.org' = 'v=DMARC1; p=none'
                '_dmarc.example.net' = 'v=DMARC1; p=none; sp=reject'
                '_dmarc.example.biz' = 'v=DMARC1; p=none; sp=quarantine; np=reject'
                '_dmarc.nop.example.org' = 'v=DMARC1; sp=quarantine; np=reject'
                '_dmarc.bad.example.com' = 'v=DMARC1; p=none; reject'
                '_dmarc.gov' = 'v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:dotgov_dmarc@cisa.dhs.gov; psd=y'
                'example.com._report._dmarc.valimail.com' = 'v=DMARC1'
                # OpenDMARC subdomain_fallback
                '_dmarc.parent1.example' = 'v=DMARC1; p=reject; rua=mailto:dmarc@parent1.example'
                '_dmarc.own-record.example' = 'v=DMARC1; p=quarantine'
                '_dmarc.parent3.example' = 'v=DMARC1; p=none; sp=reject'
                '_dmarc.bcx.com' = 'v=DMARC1; p=reject'
                # RFC 9989 tree walk: simple/deep and psd
                '_dmarc.signing.example.com' = 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com'
                '_dmarc.bank.example' = 'v=DMARC1; p=reject; sp=quarantine; psd=y'
                '_dmarc.giant.bank.example' = 'v=DMARC1; p=quarantine; rua=mailto:dmarc@giant.bank.example'
                # our own
                '_dmarc.yahoo.com' = 'v=DMARC1; p=reject; pct=100; rua=mailto:dmarc_y_rua@yahoo.com'
                '_dmarc.contoso.example' = 'v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.example'
                '_dmarc.slow.example' = 'v=DMARC1; p=reject; rua=mailto:dmarc@slow.example'
                '_dmarc.servfail.example' = 'v=DMARC1; p=reject'
                '_dmarc.legacy.example' = 'v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@legacy.example'
            }

            foreach ($entry in $txt.GetEnumerator()) {
                $null = $zone.AddTxt($entry.Key, [string[]] @($entry.Value))
            }

            foreach ($name in '_dmarc.sub.example.net', 'sub.example.net', '_dmarc.sub.example.biz', '_dmarc.sub2.example.biz',
                '_dmarc.example.gov', 'example.gov', 'a.b.parent3.example', 'sub.bcx.com', 'mail.giant.bank.example', 'mail.mega.bank.example') {
                $null = $zone.AddName($name)
            }

            $null = $zone.AddCname('sub2.example.biz', 'host.example.biz')
            $null = $zone.AddA('host.example.biz', '192.0.2.10')
            for ($i = 0; $i -lt $parseRecords.Count; $i++) {
                $null = $zone.AddTxt(('_dmarc.p{0}.abuse.net' -f $i), [string[]] @($parseRecords[$i]))
            }

            $zone
        }

        $server = New-TestDnsServer -Zone (New-DmarcFixtureZone)
        $server.SetFault('_dmarc.servfail.example', 'TXT', [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
        # '*' is the all-types key (PowerShell would pass $null to a .NET string as '').
        $server.SetLatency('_dmarc.slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint

        function Get-FindingCode {
            param([object] $Findings)
            @($Findings | ForEach-Object { [string] $_.Code })
        }

        function Get-One {
            # Get-DmarcPolicy for one domain: asserts no error and one object, returns it.
            param([string] $Domain, [string] $Method = 'TreeWalk', [string] $Endpoint = $dns)
            $r = @(Get-DmarcPolicy -Domain $Domain -DiscoveryMethod $Method -Server $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue)
            $err | Should -HaveCount 0
            $r | Should -HaveCount 1
            $r[0]
        }

        function Get-DmarcQuery {
            param([object] $Server)
            @($Server.Queries | Where-Object { $_.Type -ceq 'TXT' -and $_.Name.StartsWith('_dmarc.') } | ForEach-Object { $_.Name })
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    Context 'dmarc-vectors.yml' {
        It 'OpenDMARC parse vector <Index> gives the expected validity and policy' -ForEach $parseVectors {
            $domain = 'p{0}.abuse.net' -f $Index

            $rfc7489 = Get-One -Domain $domain -Method 'PublicSuffixList'
            $rfc9989 = Get-One -Domain $domain -Method 'TreeWalk'

            $rfc7489.IsValid | Should -Be $Valid7489
            $(if ($null -eq $rfc7489.EffectivePolicy) { '-' } else { [string] $rfc7489.EffectivePolicy }) | Should -BeExactly $Policy
            $rfc9989.IsValid | Should -Be $Valid9989
            $(if ($null -eq $rfc9989.EffectivePolicy) { '-' } else { [string] $rfc9989.EffectivePolicy }) | Should -BeExactly $Policy
        }

        It 'Authheaders example.com uses its own record with p=reject' {
            $r = Get-One 'example.com'

            $r.RecordDomain | Should -BeExactly 'example.com'
            $r.IsInherited | Should -BeFalse
            [string] $r.Policy | Should -BeExactly 'Reject'
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
            $r.IsValid | Should -BeTrue
        }

        It 'Authheaders example.com report uris are checked for external authorization' {
            $r = Get-One 'example.com'

            $rua = @($r.AggregateReportUri)
            $rua.Address | Should -BeExactly @('dmarc.reports@valimail.com', 'dmarc_agg@vali.email')
            $rua.IsExternal | Should -Be @($true, $true)
            $rua.IsAuthorized | Should -Be @($true, $false)
            $rua[1].AuthorizationName | Should -BeExactly 'example.com._report._dmarc.vali.email'
            @($r.FailureReportUri).IsAuthorized | Should -Be @($true, $false)
            $terms = @($r.Findings | Where-Object { [string] $_.Code -ceq 'DmarcExternalReportUnauthorized' } | ForEach-Object Term)
            $terms | Should -BeExactly @('mailto:dmarc_agg@vali.email', 'mailto:dmarc_c0cb7153_afrf@vali.email')
        }

        It 'Authheaders bad.example.com is a syntax error with policy none' {
            $r = Get-One 'bad.example.com'

            $r.IsValid | Should -BeFalse
            [string] $r.EffectivePolicy | Should -BeExactly 'None'
            $syntax = @($r.Findings | Where-Object { [string] $_.Code -ceq 'DmarcSyntaxError' })
            $syntax | Should -HaveCount 1
            $syntax[0].Term | Should -BeExactly 'reject'
        }

        It 'Authheaders example.gov tree walk org is one level below the PSD and p=reject applies' {
            $r = Get-One 'example.gov'

            $r.OrganizationalDomain | Should -BeExactly 'example.gov'
            $r.RecordDomain | Should -BeExactly 'gov'
            $r.IsPublicSuffixPolicy | Should -BeTrue
            $r.DomainExists | Should -BeTrue
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
            Get-FindingCode $r.Findings | Should -Contain 'DmarcPublicSuffixPolicy'
        }

        It 'Authheaders example.gov has no policy under the RFC 7489 psl method' {
            $r = Get-One 'example.gov' -Method 'PublicSuffixList'

            $null -eq $r.EffectivePolicy | Should -BeTrue
            @($r.QueriedNames) | Should -BeExactly @('_dmarc.example.gov')
            Get-FindingCode $r.Findings | Should -Contain 'DmarcNoRecord'
        }

        It 'Authheaders sub.example.net inherits sp=reject' {
            $r = Get-One 'sub.example.net'

            $r.RecordDomain | Should -BeExactly 'example.net'
            $r.IsInherited | Should -BeTrue
            [string] $r.Policy | Should -BeExactly 'None'
            [string] $r.SubdomainPolicy | Should -BeExactly 'Reject'
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
        }

        It 'Authheaders nonexistent sub.example.biz gets np=reject' {
            $r = Get-One 'sub.example.biz'

            $r.DomainExists | Should -BeFalse
            [string] $r.NonexistentSubdomainPolicy | Should -BeExactly 'Reject'
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
            Get-FindingCode $r.Findings | Should -Contain 'DmarcNonexistentDomain'
        }

        It 'Authheaders existing sub2.example.biz gets sp=quarantine' {
            $r = Get-One 'sub2.example.biz'

            $r.DomainExists | Should -BeTrue
            [string] $r.EffectivePolicy | Should -BeExactly 'Quarantine'
        }

        It 'Authheaders nop.example.org record without p or rua applies no policy' {
            $r = Get-One 'nop.example.org'

            $r.RecordDomain | Should -BeExactly 'nop.example.org'
            $null -eq $r.Policy | Should -BeTrue
            [string] $r.SubdomainPolicy | Should -BeExactly 'Quarantine'
            $null -eq $r.EffectivePolicy | Should -BeTrue
            $r.IsValid | Should -BeFalse
            Get-FindingCode $r.Findings | Should -Contain 'DmarcPolicyMissing'
        }

        It 'Authheaders example.org p=none is monitoring only' {
            $r = Get-One 'example.org'

            [string] $r.EffectivePolicy | Should -BeExactly 'None'
            Get-FindingCode $r.Findings | Should -Contain 'DmarcPolicyNone'
            Get-FindingCode $r.Findings | Should -Contain 'DmarcNoReportUri'
        }

        It 'OpenDMARC sub.parent1 falls back to the parent record (<_>)' -ForEach @('TreeWalk', 'PublicSuffixList') {
            $r = Get-One 'sub.parent1.example' -Method $_

            $r.RecordDomain | Should -BeExactly 'parent1.example'
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
        }

        It 'OpenDMARC own-record.example uses its own record' {
            $r = Get-One 'own-record.example'

            $r.RecordDomain | Should -BeExactly 'own-record.example'
            [string] $r.EffectivePolicy | Should -BeExactly 'Quarantine'
        }

        It 'OpenDMARC a.b.parent3 walks two labels up and sp=reject applies' {
            $r = Get-One 'a.b.parent3.example'

            $r.RecordDomain | Should -BeExactly 'parent3.example'
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
            @($r.QueriedNames) | Should -BeExactly @('_dmarc.a.b.parent3.example', '_dmarc.b.parent3.example', '_dmarc.parent3.example', '_dmarc.example')
        }

        It 'OpenDMARC sub.nodmarc.example has no record' {
            $r = Get-One 'sub.nodmarc.example'

            $r.Record | Should -Be $null
            $null -eq $r.EffectivePolicy | Should -BeTrue
            Get-FindingCode $r.Findings | Should -Contain 'DmarcNoRecord'
        }

        It 'OpenDMARC sub.bcx.com with the psl is a single lookup at the org domain' {
            $server.ClearLog()

            $r = Get-One 'sub.bcx.com' -Method 'PublicSuffixList'

            Get-DmarcQuery $server | Should -BeExactly @('_dmarc.sub.bcx.com', '_dmarc.bcx.com')
            $r.OrganizationalDomain | Should -BeExactly 'bcx.com'
            [string] $r.EffectivePolicy | Should -BeExactly 'Reject'
        }

        It 'Tree walk query sequence of a long name is the eight vector queries' {
            $server.ClearLog()

            $r = Get-One 'a.b.c.d.e.f.g.h.i.j.mail.example.com'

            Get-DmarcQuery $server | Should -BeExactly @(
                '_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com', '_dmarc.g.h.i.j.mail.example.com',
                '_dmarc.h.i.j.mail.example.com', '_dmarc.i.j.mail.example.com', '_dmarc.j.mail.example.com',
                '_dmarc.mail.example.com', '_dmarc.example.com', '_dmarc.com')
            $r.RecordDomain | Should -BeExactly 'example.com'
        }

        It 'Tree walk deep vector sends at most eight queries and finds example.com' {
            $server.ClearLog()

            $r = Get-One 'a.b.c.d.e.f.g.h.i.j.k.example.com'

            (Get-DmarcQuery $server).Count | Should -BeLessOrEqual 8
            Get-DmarcQuery $server | Should -HaveCount 8
            $r.RecordDomain | Should -BeExactly 'example.com'
            $r.OrganizationalDomain | Should -BeExactly 'example.com'
        }

        It 'Tree walk simple vector org domain of <Domain> has the fewest labels' -ForEach @(
            @{ Domain = 'example.com'; Org = 'example.com' }
            @{ Domain = 'signing.example.com'; Org = 'example.com' }
        ) {
            (Get-One $Domain).OrganizationalDomain | Should -BeExactly $Org
        }

        It 'Tree walk psd vector org domain of <Domain> is one label below psd=y' -ForEach @(
            @{ Domain = 'giant.bank.example'; Org = 'giant.bank.example'; RecordDomain = 'giant.bank.example' }
            @{ Domain = 'mail.giant.bank.example'; Org = 'giant.bank.example'; RecordDomain = 'giant.bank.example' }
            @{ Domain = 'mail.mega.bank.example'; Org = 'mega.bank.example'; RecordDomain = 'bank.example' }
        ) {
            $r = Get-One $Domain

            $r.OrganizationalDomain | Should -BeExactly $Org
            $r.RecordDomain | Should -BeExactly $RecordDomain
        }

        It 'Tree walk org selection example <Name>' -ForEach @(
            @{ Name = 'one: records at mail and example.com'; Records = @(@('_dmarc.mail.example.com', 'v=DMARC1; p=none; rua=mailto:d@example.com'), @('_dmarc.example.com', 'v=DMARC1; p=reject; rua=mailto:d@example.com')); Org = 'example.com'; RecordDomain = 'example.com' }
            @{ Name = 'two: psd=n at mail.example.com'; Records = @(, @('_dmarc.mail.example.com', 'v=DMARC1; p=reject; psd=n; rua=mailto:d@example.com')); Org = 'mail.example.com'; RecordDomain = 'mail.example.com' }
            @{ Name = 'three: psd=y at com'; Records = @(, @('_dmarc.com', 'v=DMARC1; p=reject; psd=y')); Org = 'example.com'; RecordDomain = 'com' }
        ) {
            $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
            foreach ($pair in $Records) {
                $null = $zone.AddTxt($pair[0], [string[]] @($pair[1]))
            }

            $null = $zone.AddName('a.mail.example.com')
            $own = New-TestDnsServer -Zone $zone
            try {
                $r = Get-One 'a.mail.example.com' -Endpoint $own.Endpoint

                $r.OrganizationalDomain | Should -BeExactly $Org
                $r.RecordDomain | Should -BeExactly $RecordDomain
            }
            finally {
                $own.Dispose()
            }
        }
    }

    Context 'cmdlet behaviour' {
        It 'Output is a typed DmarcPolicy with flat columns for csv' {
            $r = Get-One 'contoso.example'

            $r.GetType().FullName | Should -BeExactly 'MailOps.Core.Dmarc.DmarcPolicy'
            $r.Domain | Should -BeExactly 'contoso.example'
            $r.Record | Should -BeExactly 'v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.example'
            $r.Rua | Should -BeExactly 'mailto:dmarc@contoso.example'
            $r.Percentage | Should -Be 100
            [string] $r.DkimAlignment | Should -BeExactly 'Relaxed'
            [string] $r.SpfAlignment | Should -BeExactly 'Relaxed'
            $r.FailureOptions | Should -BeExactly '0'
            [string] $r.DiscoveryMethod | Should -BeExactly 'TreeWalk'
        }

        It 'Several domains come back in input order' {
            $r = @(Get-DmarcPolicy -Domain 'slow.example', 'contoso.example', 'example.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

            $err | Should -HaveCount 0
            $r.Domain | Should -BeExactly @('slow.example', 'contoso.example', 'example.org')
        }

        It 'Csv-like rows bind Domain by property name' {
            $rows = @(
                'Domain,Owner'
                'contoso.example,it'
                'example.net,hr'
            ) | ConvertFrom-Csv

            $r = @($rows | Get-DmarcPolicy -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

            $err | Should -HaveCount 0
            $r.Domain | Should -BeExactly @('contoso.example', 'example.net')
            @($r | ForEach-Object { [string] $_.EffectivePolicy }) | Should -BeExactly @('Quarantine', 'None')
        }

        It 'Strings pipe into Domain' {
            $r = @('contoso.example', 'yahoo.com' | Get-DmarcPolicy -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

            $err | Should -HaveCount 0
            $r.Domain | Should -BeExactly @('contoso.example', 'yahoo.com')
        }

        It 'Invalid names are errors per item and the other domains still run' {
            # U+202E (right-to-left override) is not allowed in a domain name.
            $rtl = '{0}evil.example' -f [char] 0x202E

            $r = @(Get-DmarcPolicy -Domain 'contoso.example', 'bad..example', $rtl, 'com', 'example.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

            $r.Domain | Should -BeExactly @('contoso.example', 'example.org')
            $err | Should -HaveCount 3
            foreach ($e in $err) {
                $e.FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
                [string] $e.CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
            }

            @($err | ForEach-Object TargetObject) | Should -BeExactly @('bad..example', $rtl, 'com')
        }

        It 'Unicode domain is looked up by its punycode name' {
            # b, U+00FC (u with diaeresis), cher.example: spelled with a char code so the file encoding cannot matter.
            $domain = 'b{0}cher.example' -f [char] 0x00FC
            $server.ClearLog()

            $r = Get-One $domain

            $r.Domain | Should -BeExactly 'xn--bcher-kva.example'
            $server.CountQueries('_dmarc.xn--bcher-kva.example', 'TXT', $null) | Should -Be 1
            Get-FindingCode $r.Findings | Should -Contain 'DmarcNoRecord'
        }

        It 'Servfail is a DmarcDnsError finding so audits keep the row' {
            $r = Get-One 'servfail.example'

            $r.Record | Should -Be $null
            $null -eq $r.EffectivePolicy | Should -BeTrue
            $findings = @($r.Findings)
            $findings | Should -HaveCount 1
            [string] $findings[0].Code | Should -BeExactly 'DmarcDnsError'
            [string] $findings[0].Severity | Should -BeExactly 'Error'
        }

        It 'Big mailbox provider with p=reject warns that relayed mail will be rejected' {
            $r = Get-One 'yahoo.com'

            $finding = @($r.Findings | Where-Object { [string] $_.Code -ceq 'DmarcRelayWillBeRejected' })
            $finding | Should -HaveCount 1
            [string] $finding[0].Severity | Should -BeExactly 'Error'
            $finding[0].Message | Should -BeLike '*your own domain*'
        }

        It 'ThirdParty marks any enforcing domain as not yours' {
            $own = Get-One 'contoso.example'
            $theirs = @(Get-DmarcPolicy -Domain 'contoso.example' -ThirdParty -Server $dns)

            Get-FindingCode $own.Findings | Should -Not -Contain 'DmarcRelayWillBeRejected'
            Get-FindingCode $theirs[0].Findings | Should -Contain 'DmarcRelayWillBeRejected'
        }

        It 'Pct below 100 is a finding, and a removed tag under the tree walk' {
            $walk = Get-One 'legacy.example'
            $psl = Get-One 'legacy.example' -Method 'PublicSuffixList'

            $walk.Percentage | Should -Be 50
            Get-FindingCode $walk.Findings | Should -Contain 'DmarcPercentageBelow100'
            Get-FindingCode $walk.Findings | Should -Contain 'DmarcRemovedTag'
            Get-FindingCode $psl.Findings | Should -Contain 'DmarcPercentageBelow100'
            Get-FindingCode $psl.Findings | Should -Not -Contain 'DmarcRemovedTag'
        }

        It 'Verbose shows each dns query and each discovery step' {
            $all = @(Get-DmarcPolicy -Domain 'sub.example.net' -Server $dns -Verbose 4>&1)
            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

            @($verbose | Where-Object { $_.StartsWith('DNS TXT _dmarc.sub.example.net') }) | Should -Not -BeNullOrEmpty
            @($verbose | Where-Object { $_.StartsWith('DMARC sub.example.net: Organizational Domain: example.net') }) | Should -Not -BeNullOrEmpty
            @($verbose | Where-Object { $_.Contains('sp applies: reject') }) | Should -Not -BeNullOrEmpty
        }

        It 'Invalid server is an InvalidDnsServer error' {
            $r = @(Get-DmarcPolicy -Domain 'contoso.example' -Server 'not a server:99999' -ErrorVariable err -ErrorAction SilentlyContinue)

            $r | Should -HaveCount 0
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDnsServer*'
        }

        It 'Get-DmarcPolicy declares its output type' {
            (Get-Command Get-DmarcPolicy).OutputType.Name | Should -BeExactly 'MailOps.Core.Dmarc.DmarcPolicy'
        }
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/BlocklistTests.cs in Pester 5: Test-DnsBlocklist through
# real pwsh against fake blocklists on a loopback DNS server, with the zone of
# BlocklistFixture.cs (built below). The catalogue lists are stood in for under their real
# zone names on the test server, asked through -Server, so nothing reaches the internet.
# Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10 or later
# (PowerShell 7.6+) for the TestSupport DNS server.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))

    function Get-NibbleName {
        <# The nibble-form query name of an IPv6 address (RFC 5782 section 2.4), as BlocklistFixture.Nibbles. #>
        param([string] $Address, [string] $Zone)
        $bytes = ([System.Net.IPAddress]::Parse($Address)).GetAddressBytes()
        $labels = for ($i = $bytes.Length - 1; $i -ge 0; $i--) {
            '{0:x}' -f ($bytes[$i] -band 0x0F)
            '{0:x}' -f ($bytes[$i] -shr 4)
        }

        ($labels -join '.') + '.' + $Zone
    }

    function Add-HealthyList {
        <# The RFC 5782 section 5 test entries of a healthy list: 127.0.0.2 listed, 127.0.0.1 absent. #>
        param([object] $Zone, [string] $List, [switch] $IPv6)
        $null = $Zone.AddA("2.0.0.127.$List", '127.0.0.2')
        $null = $Zone.AddTxt("2.0.0.127.$List", [string[]] @('test entry'))
        if ($IPv6) {
            $null = $Zone.AddA((Get-NibbleName '::ffff:7f00:2' $List), '127.0.0.2')
        }
    }

    function New-BlocklistZone {
        <# The zone of BlocklistFixture.cs. #>
        Import-MailOpsTestSupport
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        Add-HealthyList $zone 'zen.spamhaus.org' -IPv6
        $null = $zone.AddA('99.2.0.192.zen.spamhaus.org', '127.0.0.2')
        $null = $zone.AddA('99.2.0.192.zen.spamhaus.org', '127.0.0.4')
        $null = $zone.AddTxt('99.2.0.192.zen.spamhaus.org', [string[]] @('https://check.spamhaus.org/query/ip/192.0.2.99'))
        $null = $zone.AddA('254.113.0.203.zen.spamhaus.org', '127.255.255.254')
        $null = $zone.AddA('7.113.0.203.zen.spamhaus.org', '198.51.100.1')
        $null = $zone.AddA((Get-NibbleName '2001:db8::99' 'zen.spamhaus.org'), '127.0.0.3')
        Add-HealthyList $zone 'bl.spamcop.net'
        Add-HealthyList $zone 'bl.test.example'
        $null = $zone.AddA('99.2.0.192.bl.test.example', '127.0.0.2')
        $null = $zone.AddA('99.2.0.192.wild.test.example', '127.0.0.2')
        $null = $zone.AddA('2.0.0.127.wild.test.example', '127.0.0.2')
        $null = $zone.AddA('1.0.0.127.wild.test.example', '127.0.0.2')
        Add-HealthyList $zone 'once.test.example'
        Add-HealthyList $zone 'broken.test.example'
        $null = $zone.AddA('dbltest.com.dbl.spamhaus.org', '127.0.1.2')
        $null = $zone.AddA('spammy.example.dbl.spamhaus.org', '127.0.1.2')
        $null = $zone.AddTxt('spammy.example.dbl.spamhaus.org', [string[]] @('https://check.spamhaus.org/query/dbl/spammy.example'))
        $null = $zone.AddA('phish.example.dbl.spamhaus.org', '127.0.1.4')
        $zone
    }

    Import-MailOpsModule
    $server = New-TestDnsServer -Zone (New-BlocklistZone)
    $server.SetFault('5.2.0.192.broken.test.example', 'A', [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
    $server.SetLatency('1.2.0.192.bl.test.example', '*', [System.TimeSpan]::FromMilliseconds(300))
    $dns = $server.Endpoint

    # The one row of one address on the given lists, checked to have no error.
    function Get-SingleRow {
        param([string[]] $IPAddress, [string[]] $Blocklist)
        $rows = @(Test-DnsBlocklist -IPAddress $IPAddress -Blocklist $Blocklist -Server $dns -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $rowErrors | Should -HaveCount 0
        $rows | Should -HaveCount 1
        $rows[0]
    }
}

AfterAll {
    if ($server) {
        $server.Dispose()
    }
}

Describe 'Test-DnsBlocklist' {
    It 'Listed address has return codes, catalogue meaning and txt reason' {
        $r = Get-SingleRow '192.0.2.99' 'zen.spamhaus.org'

        $r.Target | Should -BeExactly '192.0.2.99'
        $r.Blocklist | Should -BeExactly 'zen.spamhaus.org'
        $r.IsListed | Should -BeTrue
        $r.ReturnCode | Should -BeExactly '127.0.0.2, 127.0.0.4'
        $r.Meaning | Should -BeLikeExactly 'SBL: *'
        $r.Meaning | Should -BeLikeExactly '*; XBL: *'
        $r.Reason | Should -BeExactly 'https://check.spamhaus.org/query/ip/192.0.2.99'
        $r.Error | Should -Be $null
    }

    It 'Clean address is not listed and has no error' {
        $r = Get-SingleRow '192.0.2.1' 'zen.spamhaus.org'

        $r.IsListed | Should -BeFalse
        [string] $r.Status | Should -BeExactly 'NotListed'
        $r.ReturnCode | Should -Be $null
        $r.Error | Should -Be $null
    }

    It 'Public resolver refusal code is an error, not a listing' {
        $r = Get-SingleRow '203.0.113.254' 'zen.spamhaus.org'

        $r.IsListed | Should -BeFalse
        [string] $r.Status | Should -BeExactly 'Error'
        $r.ReturnCode | Should -BeExactly '127.255.255.254'
        $r.Error | Should -BeLikeExactly '*public*'
    }

    It 'Answer outside 127/8 is an error, not a listing' {
        $r = Get-SingleRow '203.0.113.7' 'zen.spamhaus.org'

        $r.IsListed | Should -BeFalse
        $r.Error | Should -BeLikeExactly '*outside 127.0.0.0/8*'
    }

    It 'Dead list fails its self-test and gives error rows' {
        $r = Get-SingleRow '192.0.2.99' 'dead.test.example'

        $r.IsListed | Should -BeFalse
        $r.Error | Should -BeLikeExactly 'self-test failed: *'
        $r.Error | Should -BeLikeExactly '*127.0.0.2 must be listed*'
    }

    It 'Wildcarding list fails its self-test instead of listing everything' {
        $r = Get-SingleRow '192.0.2.99' 'wild.test.example'

        $r.IsListed | Should -BeFalse
        $r.Error | Should -BeLikeExactly '*127.0.0.1 must not be listed*'
    }

    It 'Custom zone listing has a generic meaning' {
        $r = Get-SingleRow '192.0.2.99' 'bl.test.example'

        $r.IsListed | Should -BeTrue
        $r.Meaning | Should -BeLikeExactly 'listed on bl.test.example*'
    }

    It 'Rows come in target order, then in the order of the lists' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.1', '192.0.2.99', '192.0.2.2' -Blocklist 'bl.test.example', 'zen.spamhaus.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { '{0} {1}' -f $_.Target, $_.Blocklist }) | Should -BeExactly @(
            '192.0.2.1 bl.test.example', '192.0.2.1 zen.spamhaus.org',
            '192.0.2.99 bl.test.example', '192.0.2.99 zen.spamhaus.org',
            '192.0.2.2 bl.test.example', '192.0.2.2 zen.spamhaus.org')
    }

    It 'Ipv6 address is queried in nibble form' {
        $r = Get-SingleRow '2001:db8::99' 'zen.spamhaus.org'

        $r.IsListed | Should -BeTrue
        $r.Meaning | Should -BeLikeExactly 'SBL CSS*'
        $r.QueryName | Should -BeExactly (Get-NibbleName '2001:db8::99' 'zen.spamhaus.org')
    }

    It 'Ipv4-mapped ipv6 address is checked as ipv4' {
        $r = Get-SingleRow '::ffff:192.0.2.99' 'zen.spamhaus.org'

        $r.Target | Should -BeExactly '192.0.2.99'
        $r.IsListed | Should -BeTrue
        $r.QueryName | Should -BeExactly '99.2.0.192.zen.spamhaus.org'
    }

    It 'Ipv6 address on an ipv4-only catalogue list is not applicable' {
        $r = Get-SingleRow '2001:db8::99' 'bl.spamcop.net'

        [string] $r.Status | Should -BeExactly 'NotApplicable'
        $r.IsListed | Should -BeFalse
        $r.Error | Should -Be $null
    }

    It 'Quiet returns one boolean per target, true when listed nowhere' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.1', '192.0.2.99' -Blocklist 'zen.spamhaus.org', 'bl.test.example' -Quiet -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 2
        $r[0] | Should -BeOfType ([bool])
        $r[0] | Should -BeTrue
        $r[1] | Should -BeFalse
    }

    It 'Quiet warns about lists that could not be trusted' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.1' -Blocklist 'dead.test.example' -Quiet -Server $dns -WarningVariable warnings -WarningAction SilentlyContinue)

        $r | Should -HaveCount 1
        $r[0] | Should -BeTrue
        @($warnings | Where-Object { "$_" -like '*dead.test.example*self-test failed*' }) | Should -HaveCount 1
    }

    It 'Domain is checked on a domain list with its meaning' {
        $r = @(Test-DnsBlocklist -Domain 'spammy.example', 'phish.example', 'clean.example' -Blocklist 'dbl.spamhaus.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.IsListed | Should -BeExactly @($true, $true, $false)
        $r[0].Meaning | Should -BeExactly 'spam domain'
        $r[1].Meaning | Should -BeExactly 'phishing domain'
        [string] $r[0].TargetKind | Should -BeExactly 'Domain'
    }

    It 'Domain is never asked of an ip list' {
        $r = @(Test-DnsBlocklist -Domain 'spammy.example' -Blocklist 'zen.spamhaus.org', 'dbl.spamhaus.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 1
        $r[0].Blocklist | Should -BeExactly 'dbl.spamhaus.org'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'BlocklistKindMismatch*'
        $err[0].TargetObject | Should -BeExactly 'zen.spamhaus.org'
        $server.CountQueries('spammy.example.zen.spamhaus.org') | Should -Be 0
    }

    It 'Without -Blocklist every catalogue ip list is asked and no domain list' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.1' -Server $dns -ErrorAction SilentlyContinue)
        $lists = @($r | ForEach-Object { $_.Blocklist })

        $lists | Should -HaveCount 7
        $lists[0] | Should -BeExactly 'zen.spamhaus.org'
        $lists | Should -Contain 'bl.spamcop.net'
        $lists | Should -Not -Contain 'dbl.spamhaus.org'
        $lists | Should -Not -Contain 'multi.uribl.com'
        @($lists | Where-Object { $_ -like '*sorbs*' }) | Should -HaveCount 0
    }

    It 'Invalid addresses are errors and the other addresses still run' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.99', '10.1', 'not-an-ip', '192.0.2.1' -Blocklist 'bl.test.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Target | Should -BeExactly @('192.0.2.99', '192.0.2.1')
        $err | Should -HaveCount 2
        foreach ($e in $err) {
            $e.FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidIPAddress*'
            [string] $e.CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
        }

        $err.TargetObject | Should -BeExactly @('10.1', 'not-an-ip')
    }

    It 'Invalid domain is an error and the other domains still run' {
        $r = @(Test-DnsBlocklist -Domain 'bad..example', 'spammy.example' -Blocklist 'dbl.spamhaus.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 1
        $r[0].Target | Should -BeExactly 'spammy.example'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
    }

    It 'Invalid blocklist value is an error and the other lists still run' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.99' -Blocklist 'not a zone', 'bl.test.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 1
        $r[0].Blocklist | Should -BeExactly 'bl.test.example'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidBlocklist*'
        $err[0].TargetObject | Should -BeExactly 'not a zone'
    }

    It 'Servfail on a target query is an error row' {
        $r = Get-SingleRow '192.0.2.5' 'broken.test.example'

        $r.IsListed | Should -BeFalse
        $r.Error | Should -BeLikeExactly '*ServerFailure*'
    }

    It 'Self-test runs once per list in one invocation' {
        $r = @(Test-DnsBlocklist -IPAddress '192.0.2.11', '192.0.2.12', '192.0.2.13', '192.0.2.14' -Blocklist 'once.test.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 4
        $server.CountQueries('2.0.0.127.once.test.example', 'A') | Should -Be 1
        $server.CountQueries('1.0.0.127.once.test.example', 'A') | Should -Be 1
    }

    It 'Csv-like rows bind IPAddress by property name' {
        $rows = @(
            'IPAddress,Relay'
            '192.0.2.99,smtp1'
            '192.0.2.1,smtp2'
        ) | ConvertFrom-Csv

        $r = @($rows | Test-DnsBlocklist -Blocklist 'bl.test.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Target | Should -BeExactly @('192.0.2.99', '192.0.2.1')
        $r.IsListed | Should -BeExactly @($true, $false)
    }

    It 'Csv-like rows with a Domain column bind the domain set' {
        $rows = @(
            'Domain'
            'spammy.example'
            'clean.example'
        ) | ConvertFrom-Csv

        $r = @($rows | Test-DnsBlocklist -Blocklist 'dbl.spamhaus.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Target | Should -BeExactly @('spammy.example', 'clean.example')
    }

    It 'Object with both IPAddress and Domain is checked by address' {
        $r = @([pscustomobject] @{ Domain = 'spammy.example'; IPAddress = '192.0.2.99' } |
            Test-DnsBlocklist -Blocklist 'bl.test.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Target | Should -BeExactly '192.0.2.99'
    }

    It 'Addresses piped by value are checked' {
        $r = @('192.0.2.99', [ipaddress] '192.0.2.1' | Test-DnsBlocklist -Blocklist 'bl.test.example' -Server $dns -Quiet -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -BeExactly @($false, $true)
    }

    It 'Verbose shows the self-test and each query' {
        $verbose = Test-DnsBlocklist -IPAddress '192.0.2.99' -Blocklist 'bl.test.example' -Server $dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } |
            ForEach-Object { $_.Message }

        @($verbose | Where-Object { $_ -like '*bl.test.example IPv4 self-test passed*' }) | Should -HaveCount 1
        @($verbose | Where-Object { $_ -like '*99.2.0.192.bl.test.example: Listed*' }) | Should -HaveCount 1
    }

    It 'Dmarc report rows bind their SourceIP to IPAddress' {
        $r = @([pscustomobject]@{ SourceIP = '192.0.2.99'; HeaderFrom = 'contoso.example'; Count = 12 } |
            Test-DnsBlocklist -Blocklist 'zen.spamhaus.org' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Target | Should -BeExactly '192.0.2.99'
        $r[0].IsListed | Should -BeTrue
    }
}

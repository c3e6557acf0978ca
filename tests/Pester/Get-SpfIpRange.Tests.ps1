# Mirrors tests/MailOps.PowerShell.Tests/SpfIpRangeTests.cs in Pester 5: Get-SpfIpRange through
# real pwsh and a real DNS server on loopback, with the zone of SpfIpRangeFixture.cs (built
# below). Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10 or later
# (PowerShell 7.6+) for the TestSupport DNS server.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))

    function New-SpfIpRangeZone {
        <# The zone of SpfIpRangeFixture.cs: an include tree with a, mx, ip6, exists, ptr, a fail include, a redirect and broken domains. #>
        Import-MailOpsTestSupport
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt('contoso.example', [string[]] @('v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx/24 a:web.contoso.example ip6:2001:db8:10::/48 exists:%{i}._spf.contoso.example ptr -include:blocked.example ~all'))
        $null = $zone.AddMx('contoso.example', 10, 'mail.contoso.example')
        $null = $zone.AddA('mail.contoso.example', '192.0.2.25')
        $null = $zone.AddA('web.contoso.example', '203.0.113.10')
        $null = $zone.AddAaaa('web.contoso.example', '2001:db8::10')
        $null = $zone.AddTxt('sendgrid.example', [string[]] @('v=spf1 ip4:149.72.0.0/16 include:_spf2.sendgrid.example -ip4:149.72.99.0/24 ~all'))
        $null = $zone.AddTxt('_spf2.sendgrid.example', [string[]] @('v=spf1 ip4:167.89.0.0/17 ip6:2001:db8:5::/48 -ip4:167.89.200.0/24 -all'))
        $null = $zone.AddTxt('blocked.example', [string[]] @('v=spf1 ip4:192.0.2.128/25 -all'))
        $null = $zone.AddTxt('redirect.example', [string[]] @('v=spf1 ip4:10.1.0.0/16 redirect=_spf.redirect.example'))
        $null = $zone.AddTxt('_spf.redirect.example', [string[]] @('v=spf1 ip4:10.2.0.0/16 ~all'))
        $null = $zone.AddTxt('norecord.example', [string[]] @('google-site-verification=abc'))
        $null = $zone.AddTxt('servfail.example', [string[]] @('v=spf1 -all'))
        $null = $zone.AddTxt('slow.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
        $includes = foreach ($i in 1..11) { 'include:p{0}.example' -f $i }
        $null = $zone.AddTxt('many.example', [string[]] @('v=spf1 ' + ($includes -join ' ') + ' -all'))
        foreach ($i in 1..11) {
            $null = $zone.AddTxt(('p{0}.example' -f $i), [string[]] @('v=spf1 ip4:10.0.{0}.0/24 ~all' -f $i))
        }

        $zone
    }

    Import-MailOpsModule
    $server = New-TestDnsServer -Zone (New-SpfIpRangeZone)
    $server.SetFault('servfail.example', 'TXT', [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
    $server.SetLatency('slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
    $dns = $server.Endpoint

    # The rows of contoso.example, checked to have no error (SpfIpRangeTests.Contoso).
    function Get-ContosoRange {
        $rows = @(Get-SpfIpRange -Domain 'contoso.example' -Server $dns -ErrorVariable rangeErrors -ErrorAction SilentlyContinue)
        if ($rangeErrors.Count -gt 0) {
            throw "Get-SpfIpRange contoso.example wrote errors: $rangeErrors"
        }

        $rows
    }

    # The single row with Network $Cidr (SpfIpRangeTests.Network).
    function Get-NetworkRow {
        param([object[]] $Rows, [string] $Cidr)
        $found = @($Rows | Where-Object { $_.Network -ceq $Cidr })
        $found | Should -HaveCount 1
        $found[0]
    }
}

AfterAll {
    if ($server) {
        $server.Dispose()
    }
}

Describe 'Get-SpfIpRange' {
    It 'Own ip4 network is a pass row with family, mechanism and source' {
        $row = Get-NetworkRow (Get-ContosoRange) '198.51.100.0/24'

        $row.Domain | Should -BeExactly 'contoso.example'
        [string] $row.AddressFamily | Should -BeExactly 'IPv4'
        [string] $row.Qualifier | Should -BeExactly 'Pass'
        $row.Mechanism | Should -BeExactly 'ip4:198.51.100.0/24'
        $row.Source | Should -BeExactly 'contoso.example'
        $row.IsFlattenable | Should -BeTrue
    }

    It 'Nested include networks carry the include chain' {
        $rows = Get-ContosoRange
        $row = Get-NetworkRow $rows '167.89.0.0/17'

        $row.Source | Should -BeExactly 'contoso.example > include:sendgrid.example > include:_spf2.sendgrid.example'
        $row.SourceChain | Should -BeExactly @('contoso.example', 'include:sendgrid.example', 'include:_spf2.sendgrid.example')
        [string] $row.Qualifier | Should -BeExactly 'Pass'
        [string] (Get-NetworkRow $rows '2001:db8:5::/48').AddressFamily | Should -BeExactly 'IPv6'
    }

    It 'Fail networks inside an include are not reported as authorized' {
        $networks = @(Get-ContosoRange | ForEach-Object { $_.Network })

        $networks | Should -Not -Contain '149.72.99.0/24'
        $networks | Should -Not -Contain '167.89.200.0/24'
        $networks | Should -Contain '149.72.0.0/16'
    }

    It 'Mx with a prefix length resolves to the masked network of the exchange' {
        $row = Get-NetworkRow (Get-ContosoRange) '192.0.2.0/24'

        $row.Mechanism | Should -BeExactly 'mx/24'
        $row.HostName | Should -BeExactly 'mail.contoso.example'
        $row.PrefixLength | Should -Be 24
    }

    It 'A mechanism lists the host''s ipv4 and ipv6 addresses' {
        $rows = Get-ContosoRange

        (Get-NetworkRow $rows '203.0.113.10/32').Mechanism | Should -BeExactly 'a:web.contoso.example'
        [string] (Get-NetworkRow $rows '2001:db8::10/128').AddressFamily | Should -BeExactly 'IPv6'
        [string] (Get-NetworkRow $rows '2001:db8:10::/48').AddressFamily | Should -BeExactly 'IPv6'
    }

    It 'Exists, ptr and all are rows without network with a code and reason' {
        $rows = @(Get-ContosoRange | Where-Object { -not $_.IsFlattenable })

        $rows.Mechanism | Should -BeExactly @('exists:%{i}._spf.contoso.example', 'ptr', '~all')
        $rows.Code | Should -BeExactly @('SpfIpRangeExists', 'SpfIpRangePtr', 'SpfIpRangeAll')
        foreach ($row in $rows) {
            $row.Network | Should -Be $null
            $row.Reason | Should -Not -BeNullOrEmpty
        }
    }

    It 'Networks of a fail include are listed with the fail qualifier' {
        $row = Get-NetworkRow (Get-ContosoRange) '192.0.2.128/25'

        [string] $row.Qualifier | Should -BeExactly 'Fail'
        $row.Source | Should -BeExactly 'contoso.example > -include:blocked.example'
    }

    It 'Rows come in evaluation order' {
        $networks = @(Get-ContosoRange | Where-Object { $_.IsFlattenable } | ForEach-Object { $_.Network })

        $networks | Should -BeExactly @('198.51.100.0/24', '149.72.0.0/16', '167.89.0.0/17', '2001:db8:5::/48', '192.0.2.0/24', '203.0.113.10/32', '2001:db8::10/128', '2001:db8:10::/48', '192.0.2.128/25')
    }

    It 'Redirect networks count as the record''s own' {
        $r = @(Get-SpfIpRange -Domain 'redirect.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | Where-Object { $_.IsFlattenable } | ForEach-Object { $_.Network }) | Should -BeExactly @('10.1.0.0/16', '10.2.0.0/16')
        (Get-NetworkRow $r '10.2.0.0/16').Source | Should -BeExactly 'redirect.example > redirect=_spf.redirect.example'
    }

    It 'More than ten lookups stops with a lookup limit row' {
        $r = @(Get-SpfIpRange -Domain 'many.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | Where-Object { $_.IsFlattenable }) | Should -HaveCount 10
        $r[-1].Code | Should -BeExactly 'SpfIpRangeLookupLimit'
        $r[-1].Mechanism | Should -BeExactly 'include:p11.example'
    }

    It 'Domain without spf is a SpfRecordNotFound error targeting the domain' {
        $r = @(Get-SpfIpRange -Domain 'norecord.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'SpfRecordNotFound*'
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'ObjectNotFound'
        $err[0].TargetObject | Should -BeExactly 'norecord.example'
    }

    It 'Servfail on the domain is a DnsQueryFailed error' {
        $r = @(Get-SpfIpRange -Domain 'servfail.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'DnsQueryFailed*'
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'ResourceUnavailable'
    }

    It 'Invalid domain is an error and the other domains still run' {
        $r = @(Get-SpfIpRange -Domain 'redirect.example', 'bad..example', 'slow.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        @($r.Domain | Select-Object -Unique) | Should -BeExactly @('redirect.example', 'slow.example')
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].TargetObject | Should -BeExactly 'bad..example'
    }

    It 'Domains come back in input order' {
        $r = @(Get-SpfIpRange -Domain 'slow.example', 'redirect.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('slow.example', 'slow.example', 'redirect.example', 'redirect.example', 'redirect.example')
    }

    It 'Csv-like rows bind Domain and pass networks filter into an allowlist' {
        $rows = @(
            'Domain,Owner'
            'contoso.example,it'
            'redirect.example,hr'
        ) | ConvertFrom-Csv

        $r = @($rows | Get-SpfIpRange -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue |
            Where-Object { $_.IsFlattenable -and $_.Qualifier -eq 'Pass' })

        $err | Should -HaveCount 0
        $r.Network | Should -Contain '149.72.0.0/16'
        $r.Network | Should -Contain '10.2.0.0/16'
        $r.Network | Should -Not -Contain '192.0.2.128/25'
        $r[-1].Domain | Should -BeExactly 'redirect.example'
    }

    It 'Verbose shows each record and network of the walk' {
        $verbose = Get-SpfIpRange -Domain 'redirect.example' -Server $dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } |
            ForEach-Object { $_.Message }

        @($verbose | Where-Object { $_.StartsWith('SPF ranges redirect.example: redirect.example > redirect=_spf.redirect.example: v=spf1 ip4:10.2.0.0/16 ~all') }) | Should -HaveCount 1
        @($verbose | Where-Object { $_.Contains("'ip4:10.2.0.0/16' -> 10.2.0.0/16 (Pass)") }) | Should -HaveCount 1
    }
}

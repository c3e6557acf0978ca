# Mirrors tests/MailOps.PowerShell.Tests/GetSpfRecordTests.cs in Pester 5: Get-SpfRecord through
# real pwsh and a real DNS server on loopback (the zone of SpfFixture.cs, see MailOps.TestHelpers.ps1).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server.
#
# Where the xunit test takes .Single(), these tests check the same three things: no error, one
# output object, then its properties.

Describe 'Get-SpfRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        $server = New-SpfFixtureDnsServer
        $dns = $server.Endpoint

        # The Code of every finding on a record, as strings (GetSpfRecordTests.Codes).
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

    It 'Published record comes back with its include tree and lookup count' {
        $r = @(Get-SpfRecord -Domain 'contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all'
        $r[0].IsValid | Should -BeOfType ([bool])
        $r[0].IsValid | Should -BeTrue
        [string] $r[0].All | Should -BeExactly '~all'
        $r[0].DnsLookupCount | Should -Be 2
        $includes = @($r[0].Includes)
        $includes | Should -HaveCount 1
        $includes[0].Domain | Should -BeExactly 'sendgrid.example'
        $includes[0].Record | Should -BeExactly 'v=spf1 ip4:149.72.0.0/16 ~all'
    }

    It 'Two records are invalid with a SpfMultipleRecords finding' {
        $r = @(Get-SpfRecord -Domain 'twice.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].IsValid | Should -BeOfType ([bool])
        $r[0].IsValid | Should -BeFalse
        Get-FindingCode $r[0].Findings | Should -Contain 'SpfMultipleRecords'
    }

    It 'Domain without spf has null record and a SpfNoRecord finding' {
        $r = @(Get-SpfRecord -Domain 'norecord.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -Be $null
        Get-FindingCode $r[0].Findings | Should -Contain 'SpfNoRecord'
    }

    It 'Include of a domain without record is reported' {
        $r = @(Get-SpfRecord -Domain 'dangling.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        Get-FindingCode $r[0].AllFindings | Should -Contain 'SpfIncludeTargetNoRecord'
    }

    It 'More than ten lookups is a SpfTooManyLookups error finding' {
        $r = @(Get-SpfRecord -Domain 'many.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].DnsLookupCount | Should -Be 11
        $finding = @($r[0].Findings | Where-Object { [string] $_.Code -ceq 'SpfTooManyLookups' })
        $finding | Should -HaveCount 1
        [string] $finding[0].Severity | Should -BeExactly 'Error'
    }

    It 'Several domains come back in input order' {
        $r = @(Get-SpfRecord -Domain 'slow.example', 'contoso.example', 'strict.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('slow.example', 'contoso.example', 'strict.example')
    }

    It 'Csv-like rows bind Domain by property name' {
        $rows = @(
            'Domain,Owner'
            'contoso.example,it'
            'strict.example,hr'
        ) | ConvertFrom-Csv

        $r = @($rows | Get-SpfRecord -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Domain | Should -BeExactly @('contoso.example', 'strict.example')
    }

    It 'Invalid domain is an error and the other domains still run' {
        $r = @(Get-SpfRecord -Domain 'contoso.example', 'bad..example', 'strict.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 2
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].TargetObject | Should -BeExactly 'bad..example'
    }

    It 'Unicode domain is looked up by its punycode name' {
        # b, U+00FC (u with diaeresis), cher.example: spelled with a char code so the file encoding cannot matter.
        $domain = 'b{0}cher.example' -f [char] 0x00FC

        $r = @(Get-SpfRecord -Domain $domain -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Domain | Should -BeExactly 'xn--bcher-kva.example'
        Get-FindingCode $r[0].Findings | Should -Contain 'SpfNoRecord'
    }

    It 'Servfail on the domain is reported as a SpfDnsError finding so audits keep the row' {
        $r = @(Get-SpfRecord -Domain 'servfail.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -Be $null
        $finding = @($r[0].Findings | Where-Object { [string] $_.Code -ceq 'SpfDnsError' })
        $finding | Should -HaveCount 1
        [string] $finding[0].Severity | Should -BeExactly 'Error'
    }
}

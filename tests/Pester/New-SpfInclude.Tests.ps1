# Mirrors tests/MailOps.PowerShell.Tests/NewSpfIncludeTests.cs in Pester 5: New-SpfInclude through
# real pwsh and a real DNS server on loopback (the zone of SpfFixture.cs, see MailOps.TestHelpers.ps1).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server.
#
# Where the xunit test takes .Single(), these tests check the same three things: no error, one
# output object, then its properties.

Describe 'New-SpfInclude' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        $server = New-SpfFixtureDnsServer
        $dns = $server.Endpoint

        # A collection-valued property as strings (NewSpfIncludeTests.Strings).
        function Get-StringItem {
            param([object] $Value)
            if ($null -eq $Value) {
                throw 'The property is $null, not a collection.'
            }

            @($Value | ForEach-Object { [string] $_ })
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'Include is merged into the published record before all' {
        $r = @(New-SpfInclude -Domain 'contoso.example' -Include 'p1.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx include:p1.example ~all'
        $r[0].OriginalRecord | Should -BeExactly 'v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all'
        Get-StringItem $r[0].Added | Should -BeExactly @('p1.example')
        $r[0].DnsLookupCount | Should -Be 3
    }

    It 'Include already present is not added twice' {
        $r = @(New-SpfInclude -Domain 'contoso.example' -Include 'include:sendgrid.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=spf1 ip4:198.51.100.0/24 include:sendgrid.example mx ~all'
        Get-StringItem $r[0].Added | Should -HaveCount 0
        Get-StringItem $r[0].AlreadyPresent | Should -BeExactly @('sendgrid.example')
    }

    It 'Domain without record gets a new softfail record' {
        $r = @(New-SpfInclude -Domain 'norecord.example' -Include 'sendgrid.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=spf1 include:sendgrid.example ~all'
    }

    It 'Two published records are merged into one with a finding' {
        $r = @(New-SpfInclude -Domain 'twice.example' -Include 'p2.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $record = [string] $r[0].Record
        $record.StartsWith('v=spf1 ', [System.StringComparison]::Ordinal) | Should -BeTrue -Because "the record is '$record'"
        foreach ($term in 'ip4:192.0.2.0/24', 'include:sendgrid.example', 'include:p2.example') {
            $record.Contains($term) | Should -BeTrue -Because "the merged record '$record' should keep $term"
        }
        @($r[0].Findings | Where-Object { [string] $_.Code -ceq 'SpfRecordsMerged' }).Count | Should -BeGreaterThan 0
    }

    It 'Record parameter merges into given text' {
        $r = @(New-SpfInclude -Record 'v=spf1 mx -all' -Include 'sendgrid.example', 'p3.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=spf1 mx include:sendgrid.example include:p3.example -all'
        $r[0].Domain | Should -Be $null
    }

    It 'Result over ten lookups is returned with an error finding and a warning' {
        $r = @(New-SpfInclude -Domain 'many.example' -Include 'sendgrid.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $change = $r[0]
        $change.DnsLookupCount | Should -Be 12
        @($change.Findings | Where-Object { [string] $_.Code -ceq 'SpfTooManyLookups' -and [string] $_.Severity -ceq 'Error' }).Count | Should -BeGreaterThan 0
        $warnings = @($w | ForEach-Object { $_.Message })
        @($warnings | Where-Object { $_.Contains('12 DNS lookups') }).Count | Should -BeGreaterThan 0 -Because "a warning should name the 12 lookups; got: $($warnings -join ' | ')"
    }

    It 'Invalid include is an InvalidSpfInclude error' {
        $r = @(New-SpfInclude -Domain 'contoso.example' -Include 'not a domain' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidSpfInclude*'
        $r | Should -HaveCount 0
    }

    It 'Txt strings are at most 255 characters and rebuild the record' {
        $ranges = foreach ($i in 1..30) { 'ip4:198.51.{0}.0/24' -f $i }
        $longRecord = 'v=spf1 ' + ($ranges -join ' ') + ' -all'

        $r = @(New-SpfInclude -Record $longRecord -Include 'sendgrid.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $strings = @(Get-StringItem $r[0].TxtStrings)
        $strings.Count | Should -BeGreaterThan 1
        foreach ($s in $strings) {
            $s.Length | Should -BeLessOrEqual 255
        }
        ($strings -join '') | Should -BeExactly ([string] $r[0].Record)
    }

    It 'Unreadable published record is a DnsQueryFailed error, not a new record' {
        $r = @(New-SpfInclude -Domain 'servfail.example' -Include 'sendgrid.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'DnsQueryFailed*'
        $err[0].CategoryInfo.Category | Should -BeExactly 'ResourceUnavailable'
        $err[0].TargetObject | Should -BeExactly 'servfail.example'
        $r | Should -HaveCount 0
    }

    It 'Record that is not spf is an InvalidSpfRecord error' {
        $null = New-SpfInclude -Record 'google-site-verification=abc' -Include 'sendgrid.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidSpfRecord*'
        $err[0].TargetObject | Should -BeExactly 'google-site-verification=abc'
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/DmarcNewRecordTests.cs in Pester 5: New-DmarcRecord
# through real pwsh; the last test reads a built record back with Get-DmarcPolicy from a DNS
# test server on loopback.
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); ./build.ps1 -Test runs this folder when Pester 5 is installed.
# Needs pwsh on .NET 10 or later (PowerShell 7.6+) for the TestSupport DNS server.

Describe 'New-DmarcRecord' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        function Get-FindingCode {
            param([object] $Findings)
            @($Findings | ForEach-Object { [string] $_.Code })
        }
    }

    It 'Record has canonical tag order and the name to publish it at' {
        $r = @(New-DmarcRecord -Domain 'Contoso.com' -Policy quarantine -SubdomainPolicy reject -AggregateReportUri 'dmarc@contoso.com' -DkimAlignment strict -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=DMARC1; p=quarantine; sp=reject; adkim=s; rua=mailto:dmarc@contoso.com'
        $r[0].Name | Should -BeExactly '_dmarc.contoso.com'
        $r[0].Domain | Should -BeExactly 'contoso.com'
        @($r[0].Findings) | Should -HaveCount 0
    }

    It 'Without a domain there is no name' {
        $r = @(New-DmarcRecord -Policy reject -AggregateReportUri 'd@example.com' -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Name | Should -Be $null
        $r[0].Record | Should -BeExactly 'v=DMARC1; p=reject; rua=mailto:d@example.com'
    }

    It 'External report address names the authorization txt to publish' {
        $r = @(New-DmarcRecord -Domain 'contoso.com' -Policy reject -AggregateReportUri 'rua@reports.vendor.example')

        $finding = @($r[0].Findings | Where-Object { [string] $_.Code -ceq 'DmarcExternalReportAuthorizationRequired' })
        $finding | Should -HaveCount 1
        $finding[0].Term | Should -BeExactly 'contoso.com._report._dmarc.reports.vendor.example'
        $authorization = @($r[0].AuthorizationRecords)
        $authorization | Should -HaveCount 1
        $authorization[0].Name | Should -BeExactly 'contoso.com._report._dmarc.reports.vendor.example'
        $authorization[0].Text | Should -BeExactly 'v=DMARC1'
    }

    It 'Invalid report address is an InvalidDmarcReportUri error and no record' {
        $r = @(New-DmarcRecord -Policy reject -AggregateReportUri 'dmarc@contoso.com', 'not-an-address' -FailureReportUri 'forensic@@contoso.com' -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 2
        foreach ($e in $err) {
            $e.FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDmarcReportUri*'
            [string] $e.CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
        }

        @($err | ForEach-Object TargetObject) | Should -BeExactly @('not-an-address', 'forensic@@contoso.com')
    }

    It 'Invalid failure options are an InvalidDmarcFailureOptions error' {
        $r = @(New-DmarcRecord -Policy reject -FailureOptions 'x:y' -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDmarcFailureOptions*'
        $err[0].TargetObject | Should -BeExactly 'x:y'
    }

    It 'Percentage outside 0 to 100 is refused by parameter validation' {
        { New-DmarcRecord -Policy reject -Percentage 101 } | Should -Throw -ErrorId 'ParameterArgumentValidationError'
    }

    It 'Csv-like rows each get a record and a bad row does not stop the others' {
        $rows = @(
            'Domain,Policy,AggregateReportUri'
            'contoso.com,reject,dmarc@contoso.com'
            'fabrikam..com,none,dmarc@fabrikam.com'
            'tailspin.example,none,dmarc@tailspin.example'
        ) | ConvertFrom-Csv

        $r = @($rows | New-DmarcRecord -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Name | Should -BeExactly @('_dmarc.contoso.com', '_dmarc.tailspin.example')
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidDomainName*'
        $err[0].TargetObject | Should -BeExactly 'fabrikam..com'
        Get-FindingCode $r[1].Findings | Should -Contain 'DmarcPolicyNone'
    }

    It 'Empty csv cells leave their tags out' {
        $rows = @(
            'Domain,Policy,SubdomainPolicy,DkimAlignment,FailureOptions,AggregateReportUri,FailureReportUri'
            'fabrikam.com,quarantine,,,,dmarc@fabrikam.com,'
        ) | ConvertFrom-Csv

        $r = @($rows | New-DmarcRecord -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Record | Should -BeExactly 'v=DMARC1; p=quarantine; rua=mailto:dmarc@fabrikam.com'
    }

    It 'Created record reads back valid through Get-DmarcPolicy' {
        $proposal = @(New-DmarcRecord -Domain 'roundtrip.example' -Policy reject -NonexistentSubdomainPolicy reject -AggregateReportUri 'dmarc@roundtrip.example')[0]
        Import-MailOpsTestSupport
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddTxt($proposal.Name, [string[]] @($proposal.Record))
        $server = New-TestDnsServer -Zone $zone
        try {
            $r = @(Get-DmarcPolicy -Domain 'roundtrip.example' -Server $server.Endpoint -ErrorVariable err -ErrorAction SilentlyContinue)

            $err | Should -HaveCount 0
            $r | Should -HaveCount 1
            $r[0].IsValid | Should -BeTrue
            [string] $r[0].EffectivePolicy | Should -BeExactly 'Reject'
            [string] $r[0].NonexistentSubdomainPolicy | Should -BeExactly 'Reject'
        }
        finally {
            $server.Dispose()
        }
    }
}

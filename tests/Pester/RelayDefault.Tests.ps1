# Mirrors tests/MailOps.PowerShell.Tests/RelayRouteTests.cs in Pester 5: Set-RelayDefault,
# Get-RelayDefault and Get-RelayRoute (the server choice an admin checks before sending) through
# real pwsh against the module staged in out/MailOps, each test on its own store under $TestDrive.
# Needs `dotnet build MailOps.sln -c Release` first; ./build.ps1 -Test runs this folder when
# Pester 5 is installed. No DNS or SMTP test server is needed.

Describe 'Set-RelayDefault, Get-RelayDefault, Get-RelayRoute' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        function New-StorePath {
            [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'), 'mailops.db')
        }

        # One profile named $Name on smtp.<name>.example (RelayRouteTests.Register).
        function Add-TestRelay {
            param([string] $Store, [string] $Name, [int] $Priority, [string] $Category, [string[]] $Filter = @())
            Register-RelayServer -Name $Name -Server "smtp.$Name.example" -Priority $Priority -Category $Category -FromFilter $Filter -Path $Store -ErrorAction Stop | Out-Null
        }

        function Get-CandidateNames {
            param($Decision)
            @($Decision.Candidates | ForEach-Object { [string] $_.Name })
        }
    }

    BeforeEach {
        $store = New-StorePath
    }

    It 'Set-RelayDefault stores the fallback sender and Get-RelayDefault returns it' {
        Set-RelayDefault -DefaultFrom noreply -DomainAlias Alias.Example -Path $store -ErrorAction Stop

        $d = @(Get-RelayDefault -Path $store -ErrorAction Stop)

        $d | Should -HaveCount 1
        $d[0].GetType().FullName | Should -BeExactly 'MailOps.Core.Relay.RelayDefaults'
        $d[0].DefaultFrom | Should -BeExactly 'noreply'
        $d[0].DomainAlias | Should -BeExactly 'alias.example'
        $d[0].Address | Should -BeExactly 'noreply@alias.example'
    }

    It 'Set-RelayDefault WhatIf writes nothing' {
        Set-RelayDefault -DefaultFrom noreply -DomainAlias alias.example -WhatIf -Path $store -ErrorAction Stop

        [System.IO.File]::Exists($store) | Should -BeFalse
        @(Get-RelayDefault -Path $store) | Should -HaveCount 0
    }

    It 'Set-RelayDefault with a full address is InvalidRelayDefault' {
        Set-RelayDefault -DefaultFrom noreply@alias.example -DomainAlias alias.example -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRelayDefault,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidArgument'
        [System.IO.File]::Exists($store) | Should -BeFalse
    }

    It 'Set-RelayDefault Clear removes the fallback sender' {
        Set-RelayDefault -DefaultFrom noreply -DomainAlias alias.example -Path $store -ErrorAction Stop

        Set-RelayDefault -Clear -Confirm:$false -Path $store -ErrorAction Stop

        @(Get-RelayDefault -Path $store) | Should -HaveCount 0
    }

    It 'Route lists matching profiles of the category lowest priority first' {
        Add-TestRelay $store second 20 Transactional contoso.example
        Add-TestRelay $store first 10 Transactional
        Add-TestRelay $store other 1 Transactional fabrikam.example
        Add-TestRelay $store bulk 1 Bulk

        $d = @(Get-RelayRoute -From 'Jane <jane@contoso.example>' -Path $store -ErrorAction Stop)

        $d | Should -HaveCount 1
        $d[0].GetType().FullName | Should -BeExactly 'MailOps.Core.Relay.RelayRouteDecision'
        Get-CandidateNames $d[0] | Should -Be @('first', 'second')
        $d[0].RelayServer | Should -BeExactly 'first'
        $d[0].FromRewritten | Should -BeFalse
        $d[0].From | Should -BeExactly '"Jane" <jane@contoso.example>'
        $d[0].ReplyTo | Should -BeNullOrEmpty
    }

    It 'Route for bulk mail uses the bulk profiles' {
        Add-TestRelay $store tx 1 Transactional
        Add-TestRelay $store bulk 50 Bulk

        $d = Get-RelayRoute -From news@contoso.example -Category Bulk -Path $store -ErrorAction Stop

        Get-CandidateNames $d | Should -Be @('bulk')
    }

    It 'Route rewrites a From no profile may use to the default sender' {
        Add-TestRelay $store alias 10 Transactional alias.example
        Set-RelayDefault -DefaultFrom noreply -DomainAlias alias.example -Path $store -ErrorAction Stop

        $d = Get-RelayRoute -From 'Jane Doe <jane@contoso.example>' -Path $store -ErrorAction Stop

        $d.FromRewritten | Should -BeTrue
        $d.From | Should -BeExactly '"Jane Doe" <noreply@alias.example>'
        $d.OriginalFrom | Should -BeExactly '"Jane Doe" <jane@contoso.example>'
        $d.ReplyTo | Should -BeExactly '"Jane Doe" <jane@contoso.example>'
        Get-CandidateNames $d | Should -Be @('alias')
        $d.Reason | Should -BeLike '*From rewritten*'
    }

    It 'Route without a match or defaults has no candidates and a reason' {
        Add-TestRelay $store fabrikam 10 Transactional fabrikam.example

        $d = Get-RelayRoute -From jane@contoso.example -Path $store -ErrorAction Stop

        @($d.Candidates) | Should -HaveCount 0
        $d.CanSend | Should -BeFalse
        $d.Reason | Should -BeLike '*Set-RelayDefault*'
    }

    It 'Route rows from a pipeline keep their order and a bad From is an error for its row' {
        Add-TestRelay $store contoso 10 Transactional contoso.example
        Add-TestRelay $store news 10 Bulk

        $r = @(
            [pscustomobject]@{ From = 'a@contoso.example'; Category = 'Transactional' },
            [pscustomobject]@{ From = 'not an address'; Category = 'Transactional' },
            [pscustomobject]@{ From = 'b@contoso.example'; Category = 'Bulk' } |
                Get-RelayRoute -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRelayFromAddress,*'
        $err[0].TargetObject | Should -BeExactly 'not an address'
        @($r | ForEach-Object RelayServer) | Should -Be @('contoso', 'news')
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/SuppressionTests.cs in Pester 5: Add-, Get- and
# Remove-MailSuppression through real pwsh against the module staged in out/MailOps, each test on
# its own SQLite store file under $TestDrive (SuppressionFixture.NewStorePath).
# Needs `dotnet build MailOps.sln -c Release` first; ./build.ps1 -Test runs this folder when
# Pester 5 is installed. No DNS test server is needed, so any PowerShell 7 runs it.
#
# Where the xunit test takes .Single(), these tests check the same three things: no error, one
# output object, then its properties.

Describe 'Add-MailSuppression, Get-MailSuppression, Remove-MailSuppression' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        # A store path that does not exist yet, in a folder that does not exist yet.
        function New-StorePath {
            [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'), 'mailops.db')
        }

        # The addresses on the list, in the order Get-MailSuppression writes them.
        function Get-Listed {
            param([string] $Store)
            @(Get-MailSuppression -Path $Store -ErrorAction Stop | ForEach-Object { [string] $_.Address })
        }
    }

    BeforeEach {
        $store = New-StorePath
    }

    It 'Added address comes back from Get with its reason and source' {
        Add-MailSuppression -Address 'Gone@Contoso.EXAMPLE' -Reason HardBounce -Source 'ticket 4711' -Path $store -ErrorAction Stop

        $r = @(Get-MailSuppression -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].GetType().FullName | Should -BeExactly 'MailOps.Core.Suppression.MailSuppression'
        $r[0].Address | Should -BeExactly 'Gone@contoso.example'
        $r[0].Domain | Should -BeExactly 'contoso.example'
        $r[0].Reason | Should -BeExactly 'HardBounce'
        $r[0].Source | Should -BeExactly 'ticket 4711'
        $r[0].IsExpired | Should -BeFalse
        $r[0].ExpiresAt | Should -BeNullOrEmpty
        [System.IO.File]::Exists($store) | Should -BeTrue
    }

    It 'Native sqlite is loaded from the modules Dependencies folder' {
        Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop
        $runtimes = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName((Get-MailOpsModuleManifest)), 'Dependencies', 'runtimes')

        $sqlite = @((Get-Process -Id $PID).Modules | Where-Object ModuleName -like '*e_sqlite3*' | ForEach-Object FileName)

        $sqlite | Should -Not -BeNullOrEmpty
        foreach ($file in $sqlite) {
            $file.StartsWith($runtimes, [System.StringComparison]::Ordinal) | Should -BeTrue -Because "$file should come from $runtimes"
        }
    }

    It 'Add writes nothing to the pipeline without PassThru' {
        $r = @(Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 0
    }

    It 'PassThru writes the stored entry' {
        $r = @(Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -PassThru -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Address | Should -BeExactly 'gone@contoso.example'
        $r[0].AddedAt | Should -BeOfType ([datetime])
    }

    It 'WhatIf on Add creates no store and adds nothing' {
        $r = @(Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -Path $store -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 0
        [System.IO.File]::Exists($store) | Should -BeFalse
        [System.IO.Directory]::Exists([System.IO.Path]::GetDirectoryName($store)) | Should -BeFalse
    }

    It 'WhatIf on Remove keeps the entry' {
        Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop

        Remove-MailSuppression -Address 'gone@contoso.example' -Path $store -WhatIf -ErrorAction Stop

        Get-Listed $store | Should -Be @('gone@contoso.example')
    }

    It 'A pipeline of many addresses is stored and listed in address order' {
        $addresses = @(399..0 | ForEach-Object { 'user{0:D3}@list.example' -f $_ })

        $addresses | Add-MailSuppression -Reason Unsubscribed -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 0
        $expected = [string[]] $addresses.Clone()
        [System.Array]::Sort($expected, [System.StringComparer]::Ordinal)
        Get-Listed $store | Should -Be $expected
    }

    It 'Invalid address is an error and the other addresses are still added' {
        Add-MailSuppression -Address 'first@contoso.example', 'not an address', 'second@contoso.example' -Reason HardBounce -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEmailAddress,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $err[0].TargetObject | Should -BeExactly 'not an address'
        Get-Listed $store | Should -Be @('first@contoso.example', 'second@contoso.example')
    }

    It 'Csv like rows bind Address and Reason by property name' {
        $r = @(
            @([pscustomobject]@{ Address = 'a@contoso.example'; Reason = 'Complaint'; Owner = 'it' },
              [pscustomobject]@{ Address = 'b@contoso.example'; Reason = 'Unsubscribed'; Owner = 'hr' }) |
                Add-MailSuppression -Path $store -PassThru -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { '{0}:{1}' -f $_.Address, $_.Reason }) | Should -Be @('a@contoso.example:Complaint', 'b@contoso.example:Unsubscribed')
    }

    It 'Bounce objects bind Recipient Kind and File' {
        $r = @([pscustomobject]@{ Recipient = 'gone@contoso.example'; Kind = 'HardBounce'; Status = '5.1.1'; File = 'bounces.mbox' } |
            Add-MailSuppression -Path $store -PassThru -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Address | Should -BeExactly 'gone@contoso.example'
        $r[0].Reason | Should -BeExactly 'HardBounce'
        $r[0].Source | Should -BeExactly 'bounces.mbox'
    }

    It 'Adding a listed address again updates it and says so' {
        Add-MailSuppression -Address 'gone@contoso.example' -Reason SoftBounce -Path $store -ErrorAction Stop

        $verbose = @(Add-MailSuppression -Address 'GONE@contoso.example' -Reason HardBounce -Path $store -Verbose -ErrorAction Stop 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        @($verbose | Where-Object { $_.StartsWith('Updated gone@contoso.example') -and $_.Contains('SoftBounce') }) | Should -HaveCount 1
        $r = @(Get-MailSuppression -Path $store -ErrorAction Stop)
        $r | Should -HaveCount 1
        $r[0].Reason | Should -BeExactly 'HardBounce'
    }

    It 'An earlier expiry keeps a permanent suppression with a warning unless forced' {
        Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop
        $soon = [datetime]::Now.AddDays(7)

        Add-MailSuppression -Address 'gone@contoso.example' -Reason SoftBounce -ExpiresAt $soon -Path $store -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        @($warnings | Where-Object { ([string] $_).Contains('-Force') }) | Should -HaveCount 1
        (Get-MailSuppression -Path $store -ErrorAction Stop).ExpiresAt | Should -BeNullOrEmpty

        Add-MailSuppression -Address 'gone@contoso.example' -Reason SoftBounce -ExpiresAt $soon -Force -Path $store -ErrorAction Stop
        $expires = (Get-MailSuppression -Path $store -ErrorAction Stop).ExpiresAt
        [math]::Abs(($expires - $soon.ToUniversalTime()).TotalMilliseconds) | Should -BeLessOrEqual 1
    }

    It 'Expiry in the past is an InvalidSuppressionExpiry error' {
        Add-MailSuppression -Address 'gone@contoso.example' -Reason HardBounce -ExpiresAt ([datetime]::Now.AddDays(-1)) -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSuppressionExpiry,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        [System.IO.File]::Exists($store) | Should -BeFalse
    }

    It 'Get with a wildcard returns the matching entries' {
        Add-MailSuppression -Address 'a@contoso.example', 'b@fabrikam.example', 'c@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop

        $r = @(Get-MailSuppression '*@contoso.example' -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object { [string] $_.Address }) | Should -Be @('a@contoso.example', 'c@contoso.example')
    }

    It 'Get of an address not listed is SuppressionNotFound but an unmatched wildcard is empty' {
        Add-MailSuppression -Address 'a@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop

        $null = Get-MailSuppression 'nobody@contoso.example' -Path $store -ErrorVariable literalErr -ErrorAction SilentlyContinue
        $wildcard = @(Get-MailSuppression '*@nowhere.example' -Path $store -ErrorVariable wildcardErr -ErrorAction SilentlyContinue)

        $literalErr | Should -HaveCount 1
        $literalErr[0].FullyQualifiedErrorId | Should -BeLike 'SuppressionNotFound,*'
        $literalErr[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $wildcardErr | Should -HaveCount 0
        $wildcard | Should -HaveCount 0
    }

    It 'Get on a store that does not exist returns nothing and creates no file' {
        $r = @(Get-MailSuppression -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 0
        [System.IO.File]::Exists($store) | Should -BeFalse
    }

    It 'Remove takes the entries piped from Get' {
        Add-MailSuppression -Address 'a@contoso.example', 'b@fabrikam.example', 'c@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop

        Get-MailSuppression '*@contoso.example' -Path $store | Remove-MailSuppression -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 0
        Get-Listed $store | Should -Be @('b@fabrikam.example')
    }

    It 'Removing an address not listed is SuppressionNotFound and the others are removed' {
        Add-MailSuppression -Address 'a@contoso.example', 'b@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop

        Remove-MailSuppression -Address 'a@contoso.example', 'nobody@contoso.example', 'b@contoso.example' -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SuppressionNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $err[0].TargetObject | Should -BeExactly 'nobody@contoso.example'
        Get-Listed $store | Should -HaveCount 0
    }

    It 'Store written by a newer MailOps stops the cmdlet with StoreSchemaTooNew' {
        # SQLite keeps PRAGMA user_version at byte offset 60 of the header, big-endian.
        Add-MailSuppression -Address 'a@contoso.example' -Reason HardBounce -Path $store -ErrorAction Stop
        $file = [System.IO.FileStream]::new($store, [System.IO.FileMode]::Open, [System.IO.FileAccess]::ReadWrite)
        try {
            $file.Position = 60
            $file.Write([byte[]] @(0, 0, 0, 99), 0, 4)
        }
        finally {
            $file.Dispose()
        }

        $caught = $null
        try {
            $null = Get-MailSuppression -Path $store -ErrorAction Stop
        }
        catch {
            $caught = $_
        }

        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'StoreSchemaTooNew,*'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OpenError)
    }

    It 'Without Path the store named by MAILOPS_STORE is used' {
        $saved = $env:MAILOPS_STORE
        try {
            $env:MAILOPS_STORE = $store
            Add-MailSuppression -Address 'env@contoso.example' -Reason HardBounce -ErrorAction Stop
        }
        finally {
            $env:MAILOPS_STORE = $saved
        }

        Get-Listed $store | Should -Be @('env@contoso.example')
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/RelayServerTests.cs in Pester 5: Register-, Get-, Set- and
# Unregister-RelayServer through real pwsh against the module staged in out/MailOps, each test on
# its own SQLite store file under $TestDrive (RelayFixture.NewStorePath).
# Needs `dotnet build MailOps.sln -c Release` first; ./build.ps1 -Test runs this folder when
# Pester 5 is installed. No DNS or SMTP test server is needed, so any PowerShell 7 runs it.

Describe 'Register-RelayServer, Get-RelayServer, Set-RelayServer, Unregister-RelayServer' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        $script:Password = 'Relay-Pa55word-MustNotBeStored'

        # A store path that does not exist yet, in a folder that does not exist yet.
        function New-StorePath {
            [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'), 'mailops.db')
        }

        # The profile names, in the order Get-RelayServer writes them.
        function Get-Listed {
            param([string] $Store)
            @(Get-RelayServer -Path $Store -ErrorAction Stop | ForEach-Object { [string] $_.Name })
        }

        # A PSCredential, as Get-Credential returns it.
        function New-TestCredential {
            param([string] $User, [string] $Secret)
            [pscredential]::new($User, [System.Net.NetworkCredential]::new('', $Secret).SecurePassword)
        }

        # The store file and its write-ahead log as raw bytes (RelayFixture.RawStoreBytes).
        function Get-RawStoreBytes {
            param([string] $Store)
            $bytes = [System.Collections.Generic.List[byte]]::new()
            foreach ($file in @($Store, "$Store-wal")) {
                if ([System.IO.File]::Exists($file)) {
                    $stream = [System.IO.FileStream]::new($file, 'Open', 'Read', 'ReadWrite, Delete')
                    try {
                        $copy = [System.IO.MemoryStream]::new()
                        $stream.CopyTo($copy)
                        $bytes.AddRange($copy.ToArray())
                    }
                    finally {
                        $stream.Dispose()
                    }
                }
            }

            , $bytes.ToArray()
        }

        function Test-BytesContain {
            param([byte[]] $Haystack, [byte[]] $Needle)
            $hex = [System.BitConverter]::ToString($Haystack)
            $hex.Contains([System.BitConverter]::ToString($Needle))
        }
    }

    BeforeEach {
        $store = New-StorePath
    }

    It 'Registered profile is written and comes back from Get' {
        $written = @(Register-RelayServer -Name Office -Server 'SMTP.Contoso.Example' -Security SslOnConnect -Priority 10 -FromFilter 'contoso.example', 'billing@fabrikam.example' -UserName 'relay@contoso.example' -Path $store -ErrorAction Stop)

        $r = @(Get-RelayServer -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $written | Should -HaveCount 1
        $written[0].Name | Should -BeExactly 'Office'
        $r | Should -HaveCount 1
        $r[0].GetType().FullName | Should -BeExactly 'MailOps.Core.Relay.RelayServer'
        $r[0].Server | Should -BeExactly 'smtp.contoso.example'
        $r[0].Port | Should -Be 465
        $r[0].Security.ToString() | Should -BeExactly 'SslOnConnect'
        $r[0].Priority | Should -Be 10
        $r[0].FromFilter | Should -Be @('contoso.example', 'billing@fabrikam.example')
        $r[0].Category.ToString() | Should -BeExactly 'Transactional'
        $r[0].Enabled | Should -BeTrue
        $r[0].UserName | Should -BeExactly 'relay@contoso.example'
        $r[0].CredentialStorage.ToString() | Should -BeExactly 'None'
        @($r[0].PSObject.Properties.Name | Where-Object { $_ -like '*Password*' }) | Should -HaveCount 0
        [System.IO.File]::Exists($store) | Should -BeTrue
    }

    It 'WhatIf registers nothing and creates no store file' {
        $r = @(Register-RelayServer -Name Office -Server smtp.contoso.example -Path $store -WhatIf -ErrorAction Stop)

        $r | Should -HaveCount 0
        [System.IO.File]::Exists($store) | Should -BeFalse
        [System.IO.Directory]::Exists([System.IO.Path]::GetDirectoryName($store)) | Should -BeFalse
    }

    It 'A duplicate name is a RelayServerExists error and keeps the first profile' {
        Register-RelayServer -Name Office -Server smtp1.contoso.example -Path $store -ErrorAction Stop | Out-Null

        Register-RelayServer -Name OFFICE -Server smtp2.contoso.example -Path $store -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayServerExists,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ResourceExists'
        $err[0].TargetObject | Should -BeExactly 'OFFICE'
        (Get-RelayServer -Path $store).Server | Should -BeExactly 'smtp1.contoso.example'
    }

    It 'Force replaces a profile of the same name' {
        Register-RelayServer -Name Office -Server smtp1.contoso.example -Path $store -ErrorAction Stop | Out-Null

        Register-RelayServer -Name Office -Server smtp2.contoso.example -Force -Path $store -ErrorAction Stop | Out-Null

        (Get-RelayServer -Path $store).Server | Should -BeExactly 'smtp2.contoso.example'
    }

    It 'Credential is stored only under DPAPI and refused elsewhere with CredentialStorageUnavailable' {
        $r = @(Register-RelayServer -Name Gmail -Server smtp.gmail.com -Credential (New-TestCredential 'me@gmail.com' $Password) -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            $err | Should -HaveCount 0
            $r[0].CredentialStorage.ToString() | Should -BeExactly 'Dpapi'
            $r[0].UserName | Should -BeExactly 'me@gmail.com'
        }
        else {
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'CredentialStorageUnavailable,*'
            $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidOperation'
            $err[0].Exception.Message | Should -BeLike '*-SecretName*'
            $r | Should -HaveCount 0
            [System.IO.File]::Exists($store) | Should -BeFalse -Because 'a refused password must not even create the store'
        }
    }

    It 'No password given to any cmdlet appears in the raw store file' {
        Register-RelayServer -Name Office -Server smtp.contoso.example -UserName relay -Path $store -ErrorAction Stop | Out-Null
        Register-RelayServer -Name Gmail -Server smtp.gmail.com -Credential (New-TestCredential 'me@gmail.com' $Password) -Path $store -ErrorAction SilentlyContinue | Out-Null
        Set-RelayServer -Name Office -Credential (New-TestCredential 'relay' $Password) -Path $store -ErrorAction SilentlyContinue
        Set-RelayServer -Name Office -SecretName OfficeRelay -Path $store -ErrorAction Stop

        $raw = Get-RawStoreBytes $store

        Test-BytesContain $raw ([System.Text.Encoding]::UTF8.GetBytes('smtp.contoso.example')) | Should -BeTrue -Because 'the raw bytes must hold the profiles for the check to mean anything'
        Test-BytesContain $raw ([System.Text.Encoding]::UTF8.GetBytes($Password)) | Should -BeFalse
        Test-BytesContain $raw ([System.Text.Encoding]::Unicode.GetBytes($Password)) | Should -BeFalse
    }

    It 'SecretName is stored as a name with SecretManagement storage' {
        $p = Register-RelayServer -Name Office -Server smtp.contoso.example -SecretName OfficeRelay -UserName relay -Path $store -ErrorAction Stop

        $p.CredentialStorage.ToString() | Should -BeExactly 'SecretManagement'
        $p.SecretName | Should -BeExactly 'OfficeRelay'
        $p.UserName | Should -BeExactly 'relay'
    }

    It 'An invalid setting is an InvalidRelayServerSetting error for that row only' {
        $r = @(
            [pscustomobject]@{ Name = 'Good1'; Server = 'smtp1.contoso.example' },
            [pscustomobject]@{ Name = 'Bad'; Server = 'not a host' },
            [pscustomobject]@{ Name = 'Good2'; Server = 'smtp2.contoso.example' } |
                Register-RelayServer -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRelayServerSetting,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidArgument'
        @($r | ForEach-Object Name) | Should -Be @('Good1', 'Good2')
        Get-Listed $store | Should -Be @('Good1', 'Good2')
    }

    It 'Csv like rows register several profiles with their columns' {
        [pscustomobject]@{ Name = 'Tx'; Server = 'smtp.contoso.example'; Port = '2525'; Security = 'StartTls'; Priority = '5'; FromFilter = 'contoso.example;fabrikam.example'; Category = 'Transactional' },
        [pscustomobject]@{ Name = 'News'; Server = 'bulk.contoso.example'; Security = 'SslOnConnect'; Priority = '1'; FromFilter = '*.contoso.example'; Category = 'Bulk' } |
            Register-RelayServer -Path $store -ErrorAction Stop | Out-Null

        $tx = Get-RelayServer Tx -Path $store -ErrorAction Stop
        $news = Get-RelayServer News -Path $store -ErrorAction Stop
        $tx.Port | Should -Be 2525
        $tx.Security.ToString() | Should -BeExactly 'StartTls'
        $tx.Priority | Should -Be 5
        $tx.FromFilter | Should -Be @('contoso.example', 'fabrikam.example')
        $news.Port | Should -Be 465
        $news.Category.ToString() | Should -BeExactly 'Bulk'
        $news.FromFilter | Should -Be @('*.contoso.example')
    }

    It 'Get takes wildcards and a wildcard matching nothing is no error' {
        foreach ($name in 'eu-relay', 'us-relay', 'backup') {
            Register-RelayServer -Name $name -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null
        }

        $r = @(Get-RelayServer '*-RELAY', 'none*' -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        @($r | ForEach-Object Name | Sort-Object) | Should -Be @('eu-relay', 'us-relay')
    }

    It 'Get of a missing literal name is RelayServerNotFound and the others still come' {
        Register-RelayServer -Name Office -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null

        $r = @(Get-RelayServer Nope, Office -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayServerNotFound,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
        $err[0].TargetObject | Should -BeExactly 'Nope'
        $r | Should -HaveCount 1
        $r[0].Name | Should -BeExactly 'Office'
    }

    It 'Get filters by category' {
        Register-RelayServer -Name Tx -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null
        Register-RelayServer -Name News -Server bulk.contoso.example -Category Bulk -Path $store -ErrorAction Stop | Out-Null

        $r = @(Get-RelayServer -Category Bulk -Path $store -ErrorAction Stop)

        $r | Should -HaveCount 1
        $r[0].Name | Should -BeExactly 'News'
    }

    It 'Get on a store that does not exist returns nothing and creates no file' {
        $r = @(Get-RelayServer -Path $store -ErrorAction Stop)

        $r | Should -HaveCount 0
        [System.IO.File]::Exists($store) | Should -BeFalse
    }

    It 'Get piped to Unregister removes exactly the matched profiles' {
        foreach ($name in 'old-1', 'old-2', 'keep') {
            Register-RelayServer -Name $name -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null
        }

        Get-RelayServer -Path $store -Name old-* | Unregister-RelayServer -Path $store -Confirm:$false -ErrorAction Stop

        Get-Listed $store | Should -Be @('keep')
    }

    It 'Unregister WhatIf keeps the profile' {
        Register-RelayServer -Name Office -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null

        Unregister-RelayServer -Name Office -Path $store -WhatIf -ErrorAction Stop

        Get-Listed $store | Should -Be @('Office')
    }

    It 'Unregister of a missing name is RelayServerNotFound' {
        Register-RelayServer -Name Office -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null

        Unregister-RelayServer -Name Nope, Office -Path $store -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayServerNotFound,*'
        Get-Listed $store | Should -HaveCount 0
    }

    It 'Set changes only the given settings of piped profiles' {
        Register-RelayServer -Name eu -Server smtp.contoso.example -FromFilter contoso.example -Path $store -ErrorAction Stop | Out-Null
        Register-RelayServer -Name us -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null

        $r = @(Get-RelayServer -Path $store -Name eu | Set-RelayServer -Path $store -Priority 5 -Disabled -PassThru -ErrorAction Stop)

        $r | Should -HaveCount 1
        $r[0].Priority | Should -Be 5
        $r[0].Enabled | Should -BeFalse
        $r[0].FromFilter | Should -Be @('contoso.example')
        $us = Get-RelayServer us -Path $store
        $us.Priority | Should -Be 100
        $us.Enabled | Should -BeTrue
    }

    It 'Set Disabled false enables again and Security moves a default port' {
        Register-RelayServer -Name eu -Server smtp.contoso.example -Disabled -Path $store -ErrorAction Stop | Out-Null

        Set-RelayServer -Path $store -Name eu -Disabled:$false -Security SslOnConnect -ErrorAction Stop

        $p = Get-RelayServer eu -Path $store
        $p.Enabled | Should -BeTrue
        $p.Port | Should -Be 465
    }

    It 'Set WhatIf changes nothing' {
        Register-RelayServer -Name eu -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null

        Set-RelayServer -Name eu -Priority 1 -WhatIf -Path $store -ErrorAction Stop

        (Get-RelayServer eu -Path $store).Priority | Should -Be 100
    }

    It 'Set of a missing profile is RelayServerNotFound' {
        Register-RelayServer -Name eu -Server smtp.contoso.example -Path $store -ErrorAction Stop | Out-Null

        Set-RelayServer -Name nope -Priority 1 -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayServerNotFound,*'
        $err[0].TargetObject | Should -BeExactly 'nope'
    }

    It 'Set ClearCredential forgets user and secret name' {
        Register-RelayServer -Name eu -Server smtp.contoso.example -SecretName vault -UserName relay -Path $store -ErrorAction Stop | Out-Null

        $p = Set-RelayServer -Name eu -ClearCredential -PassThru -Path $store -ErrorAction Stop

        $p.CredentialStorage.ToString() | Should -BeExactly 'None'
        $p.UserName | Should -BeNullOrEmpty
        $p.SecretName | Should -BeNullOrEmpty
    }

    It 'Security and Category take only their documented values' {
        { Register-RelayServer -Name eu -Server smtp.contoso.example -Security Tls13Please -Path $store -ErrorAction Stop } | Should -Throw
        [System.IO.File]::Exists($store) | Should -BeFalse
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/RelayProfileDkimTests.cs in Pester 5: DKIM signing
# configured on a relay profile (Register-/Set-RelayServer -DkimSigningKey, -DkimSelector,
# -DkimDomain, -ClearDkim) and Send-RelayMail signing with the profile's key when the call gives
# none. Real SMTP servers on loopback keep what they accept (SmtpTestServer, Debian's python3 with
# python3-aiosmtpd); every key's public half is published in a DNS test server under its own
# selector, read back with Get-DkimRecord, and dkimpy (DkimPythonVerifier, python3-dkim) verifies
# the message that arrived against that record. Needs `dotnet build MailOps.sln -c Release` first
# and pwsh on .NET 10.

Describe 'Relay profile DKIM signing' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $root = Get-MailOpsRepositoryRoot
        $ed25519Seed = [System.IO.Path]::Combine($root, 'tests', 'Conformance', 'dkim', 'rfc8032_7_1.key')
        $ed25519Record = 'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='

        # The zone of SendFixture.cs; key records are added per test, each under its own selector.
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new().
            AddTxt('_dmarc.strict.example', [string[]] @('v=DMARC1; p=reject')).
            AddTxt('_dmarc.contoso.example', [string[]] @('v=DMARC1; p=reject')).
            AddTxt('_dmarc.lenient.example', [string[]] @('v=DMARC1; p=none'))
        $dns = [MailOps.TestSupport.Dns.DnsTestServer]::new($zone).Start()
        $PSDefaultParameterValues['Send-RelayMail:DnsServer'] = $dns.Endpoint

        $keys = [System.IO.Directory]::CreateTempSubdirectory('MailOpsProfileDkim-').FullName

        $servers = [System.Collections.Generic.List[object]]::new()
        function Start-SmtpTestServer {
            $options = [MailOps.TestSupport.Smtp.SmtpTestServerOptions]::new()
            $options.SaveMessages = $true
            $server = [MailOps.TestSupport.Smtp.SmtpTestServer]::Start($options)
            $servers.Add($server)
            $server
        }

        function New-StorePath {
            [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'), 'mailops.db')
        }

        # A selector no other test uses, so the shared zone never mixes keys.
        function New-Selector {
            param([string] $Prefix)
            $Prefix + [guid]::NewGuid().ToString('N').Substring(0, 8)
        }

        # A new 2048-bit RSA key as PKCS#8 PEM, and the record that publishes it.
        function New-RsaKey {
            $rsa = [System.Security.Cryptography.RSA]::Create(2048)
            try {
                $path = [System.IO.Path]::Combine($keys, [guid]::NewGuid().ToString('N') + '.pem')
                [System.IO.File]::WriteAllText($path, $rsa.ExportPkcs8PrivateKeyPem())
                [pscustomobject] @{ Path = $path; Record = 'v=DKIM1; k=rsa; p=' + [System.Convert]::ToBase64String($rsa.ExportSubjectPublicKeyInfo()) }
            }
            finally {
                $rsa.Dispose()
            }
        }

        function Publish-KeyRecord {
            param([string] $Selector, [string] $Record, [string] $Domain = 'contoso.example')
            $null = $dns.Zone.AddLongTxt("$Selector._domainkey.$Domain", $Record)
        }

        # dkimpy's verdict on a received message against the record the DNS test server serves
        # (read with Get-DkimRecord); only that name resolves, so a wrong d= or s= fails.
        function Test-Dkimpy {
            param([string] $Message, [string] $Selector, [string] $Domain = 'contoso.example')
            $served = (Get-DkimRecord -Domain $Domain -Selector $Selector -Server $dns.Endpoint -ErrorAction Stop).Record
            $served | Should -Not -BeNullOrEmpty
            [MailOps.TestSupport.Smtp.DkimPythonVerifier]::Verify([System.Text.Encoding]::UTF8.GetBytes($Message), $served, "$Selector._domainkey.$Domain")
        }

        # A plain (no TLS) profile on loopback for contoso.example (SendFixture.Register).
        function Add-TestRelay {
            param([string] $Store, [string] $Name, [int] $Port, [int] $Priority = 10, [hashtable] $Dkim = @{})
            Register-RelayServer -Name $Name -Server 127.0.0.1 -Port $Port -Security None -Priority $Priority -FromFilter contoso.example -Path $Store @Dkim -ErrorAction Stop | Out-Null
        }

        $mail = @{ From = 'billing@contoso.example'; To = 'carol@fabrikam.example'; Subject = 'Invoice 42'; Body = 'Please find your invoice.' }

        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $closedPort = $probe.LocalEndpoint.Port
        $probe.Stop()
    }

    AfterAll {
        foreach ($server in $servers) { $server.Dispose() }
        $dns.Dispose()
        $PSDefaultParameterValues.Remove('Send-RelayMail:DnsServer')
        [System.IO.Directory]::Delete($keys, $true)
    }

    BeforeEach {
        $store = New-StorePath
    }

    It 'a profile with an RSA key signs what Send-RelayMail sends and dkimpy verifies it' {
        $key = New-RsaKey
        $selector = New-Selector rsa
        Publish-KeyRecord $selector $key.Record
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = $selector }

        $r = Send-RelayMail @mail -Path $store -Verbose -ErrorAction Stop 4>&1
        $verbose = @($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $result = @($r | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        [string] $result[0].Status | Should -BeExactly 'Sent'
        $received = @($server.ReceivedMessages)
        $received | Should -HaveCount 1
        $received[0] | Should -Match 'a=rsa-sha256'
        $received[0] | Should -Match 'c=relaxed/relaxed'
        $received[0] | Should -Match 'd=contoso\.example'
        $received[0] | Should -Match "s=$selector"
        ($verbose -join "`n") | Should -Match ([regex]::Escape("Signed with DKIM d=contoso.example s=$selector") + '.*Office')
        $verdict = Test-Dkimpy $received[0] $selector
        $verdict.Ok | Should -BeTrue -Because $verdict.ToString()
    }

    It 'a profile with an Ed25519 key signs ed25519-sha256 and dkimpy verifies it' {
        $key = [System.IO.Path]::Combine($keys, [guid]::NewGuid().ToString('N') + '.key')
        [System.IO.File]::Copy($ed25519Seed, $key)
        $selector = New-Selector ed
        Publish-KeyRecord $selector $ed25519Record
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Dkim @{ DkimSigningKey = $key; DkimSelector = $selector }

        Send-RelayMail @mail -Path $store -ErrorAction Stop | Out-Null

        $received = @($server.ReceivedMessages)
        $received | Should -HaveCount 1
        $received[0] | Should -Match 'a=ed25519-sha256'
        $verdict = Test-Dkimpy $received[0] $selector
        $verdict.Ok | Should -BeTrue -Because $verdict.ToString()
    }

    It 'the profile DkimDomain becomes d= instead of the From domain' {
        $key = New-RsaKey
        $selector = New-Selector dom
        Publish-KeyRecord $selector $key.Record -Domain mail.contoso.example
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = $selector; DkimDomain = 'Mail.Contoso.Example' }

        Send-RelayMail @mail -Path $store -ErrorAction Stop | Out-Null

        $received = @($server.ReceivedMessages)
        $received[0] | Should -Match 'd=mail\.contoso\.example'
        $verdict = Test-Dkimpy $received[0] $selector -Domain mail.contoso.example
        $verdict.Ok | Should -BeTrue -Because $verdict.ToString()
    }

    It 'a per-call DkimSigningKey wins over the profile' {
        $profileKey = New-RsaKey
        $callKey = New-RsaKey
        $profileSelector = New-Selector prof
        $callSelector = New-Selector call
        Publish-KeyRecord $profileSelector $profileKey.Record
        Publish-KeyRecord $callSelector $callKey.Record
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Dkim @{ DkimSigningKey = $profileKey.Path; DkimSelector = $profileSelector }

        Send-RelayMail @mail -DkimSigningKey $callKey.Path -DkimSelector $callSelector -Path $store -ErrorAction Stop | Out-Null

        $received = @($server.ReceivedMessages)
        $received[0] | Should -Match "s=$callSelector"
        $received[0] | Should -Not -Match "s=$profileSelector"
        ([regex]::Matches($received[0], '(?im)^DKIM-Signature:')).Count | Should -Be 1
        $verdict = Test-Dkimpy $received[0] $callSelector
        $verdict.Ok | Should -BeTrue -Because $verdict.ToString()
    }

    It 'the first candidate that signs signs, and a failover sends the same signed message' {
        $key = New-RsaKey
        $selector = New-Selector fo
        Publish-KeyRecord $selector $key.Record
        $backup = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Primary -Port $closedPort -Priority 10 -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = $selector }
        Add-TestRelay -Store $store -Name Backup -Port $backup.Port -Priority 20

        $r = Send-RelayMail @mail -Path $store -ErrorAction Stop

        $r.Server | Should -BeExactly 'Backup'
        $received = @($backup.ReceivedMessages)
        $received | Should -HaveCount 1
        $received[0] | Should -Match "s=$selector"
        $verdict = Test-Dkimpy $received[0] $selector
        $verdict.Ok | Should -BeTrue -Because $verdict.ToString()
    }

    It 'Register with a missing key file stops with DkimKeyFileNotFound and writes no profile' {
        $missing = [System.IO.Path]::Combine($keys, 'missing-' + [guid]::NewGuid().ToString('N') + '.pem')

        { Register-RelayServer -Name Office -Server 127.0.0.1 -Port 2525 -Security None -DkimSigningKey $missing -DkimSelector s1 -Path $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'DkimKeyFileNotFound*'
        [System.IO.File]::Exists($store) | Should -BeFalse
        @(Get-RelayServer -Path $store) | Should -HaveCount 0
    }

    It 'Register with a 512-bit key stops with DkimKeyTooWeak' {
        $weak = [System.Security.Cryptography.RSA]::Create(512)
        $key = [System.IO.Path]::Combine($keys, [guid]::NewGuid().ToString('N') + '.pem')
        [System.IO.File]::WriteAllText($key, $weak.ExportRSAPrivateKeyPem())
        $weak.Dispose()

        { Register-RelayServer -Name Office -Server 127.0.0.1 -Port 2525 -Security None -DkimSigningKey $key -DkimSelector s1 -Path $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'DkimKeyTooWeak*'
        [System.IO.File]::Exists($store) | Should -BeFalse
    }

    It 'Register with a key but no selector is InvalidRelayServerSetting and writes no profile' {
        $key = New-RsaKey

        $null = Register-RelayServer -Name Office -Server 127.0.0.1 -Port 2525 -Security None -DkimSigningKey $key.Path -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRelayServerSetting,*'
        $errors[0].Exception.Message | Should -Match 'selector'
        @(Get-RelayServer -Path $store) | Should -HaveCount 0
    }

    It 'CSV rows with and without DKIM cells register a signing and a plain profile' {
        $key = New-RsaKey

        $r = @(
            [pscustomobject] @{ Name = 'Signed'; Server = '127.0.0.1'; Port = '2525'; Security = 'None'; DkimSigningKey = $key.Path; DkimSelector = 's1'; DkimDomain = '' }
            [pscustomobject] @{ Name = 'Plain'; Server = '127.0.0.1'; Port = '2526'; Security = 'None'; DkimSigningKey = ''; DkimSelector = ''; DkimDomain = '' }
        ) | Register-RelayServer -Path $store -ErrorAction Stop

        @($r) | Should -HaveCount 2
        (Get-RelayServer -Name Signed -Path $store).DkimSigningKey | Should -BeExactly $key.Path
        (Get-RelayServer -Name Signed -Path $store).DkimDomain | Should -BeNullOrEmpty
        (Get-RelayServer -Name Plain -Path $store).DkimSigningKey | Should -BeNullOrEmpty
    }

    It 'Get-RelayServer shows the full key path, the selector and the domain' {
        $key = New-RsaKey

        Push-Location -LiteralPath $keys
        try {
            Register-RelayServer -Name Office -Server 127.0.0.1 -Port 2525 -Security None -DkimSigningKey ('./' + [System.IO.Path]::GetFileName($key.Path)) -DkimSelector S1 -DkimDomain Contoso.Example -Path $store -ErrorAction Stop | Out-Null
        }
        finally {
            Pop-Location
        }

        $p = Get-RelayServer -Name Office -Path $store -ErrorAction Stop
        $p.DkimSigningKey | Should -BeExactly $key.Path
        $p.DkimSelector | Should -BeExactly 's1'
        $p.DkimDomain | Should -BeExactly 'contoso.example'
        @($p.PSObject.Properties.Name | Where-Object { $_ -like '*PrivateKey*' }) | Should -HaveCount 0
    }

    It 'Set-RelayServer adds a key to a profile and the next message is signed' {
        $key = New-RsaKey
        $selector = New-Selector set
        Publish-KeyRecord $selector $key.Record
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port

        Set-RelayServer -Name Office -DkimSigningKey $key.Path -DkimSelector $selector -Path $store -ErrorAction Stop
        Send-RelayMail @mail -Path $store -ErrorAction Stop | Out-Null

        $verdict = Test-Dkimpy @($server.ReceivedMessages)[0] $selector
        $verdict.Ok | Should -BeTrue -Because $verdict.ToString()
    }

    It 'Set-RelayServer -ClearDkim makes the next message unsigned' {
        $key = New-RsaKey
        $selector = New-Selector clr
        Publish-KeyRecord $selector $key.Record
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = $selector }
        $signed = $mail.Clone()
        $signed.Subject = 'Signed'
        Send-RelayMail @signed -Path $store -ErrorAction Stop | Out-Null

        $p = Set-RelayServer -Name Office -ClearDkim -PassThru -Path $store -ErrorAction Stop
        $unsigned = $mail.Clone()
        $unsigned.Subject = 'Unsigned'
        Send-RelayMail @unsigned -Path $store -ErrorAction Stop | Out-Null

        $p.DkimSigningKey | Should -BeNullOrEmpty
        $p.DkimSelector | Should -BeNullOrEmpty
        $received = @($server.ReceivedMessages)
        $received | Should -HaveCount 2
        @($received | Where-Object { $_ -match 'Subject: Signed' })[0] | Should -Match '(?im)^DKIM-Signature:'
        @($received | Where-Object { $_ -match 'Subject: Unsigned' })[0] | Should -Not -Match '(?im)^DKIM-Signature:'
        [System.IO.File]::Exists($key.Path) | Should -BeTrue
    }

    It 'Set-RelayServer with a missing key file stops with DkimKeyFileNotFound and keeps the old key' {
        $key = New-RsaKey
        Add-TestRelay -Store $store -Name Office -Port 2525 -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = 's1' }

        { Set-RelayServer -Name Office -DkimSigningKey ([System.IO.Path]::Combine($keys, 'gone.pem')) -Path $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'DkimKeyFileNotFound*'
        (Get-RelayServer -Name Office -Path $store).DkimSigningKey | Should -BeExactly $key.Path
    }

    It 'a profile key deleted after registration fails the message instead of sending it unsigned' {
        $key = New-RsaKey
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = 's1' }
        Remove-Item -LiteralPath $key.Path

        $r = Send-RelayMail @mail -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $r | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DkimKeyFileNotFound,*'
        $errors[0].Exception.Message | Should -Match 'Office'
        @($server.ReceivedMessages) | Should -HaveCount 0
    }

    It '-SmtpServer bypasses the profiles and their DKIM settings' {
        $key = New-RsaKey
        $profileServer = Start-SmtpTestServer
        $direct = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $profileServer.Port -Dkim @{ DkimSigningKey = $key.Path; DkimSelector = 's1' }

        Send-RelayMail @mail -SmtpServer 127.0.0.1 -Port $direct.Port -Security None -Path $store -ErrorAction Stop | Out-Null

        @($direct.ReceivedMessages)[0] | Should -Not -Match '(?im)^DKIM-Signature:'
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/SendRelayMailTests.cs in Pester 5: Send-RelayMail
# through real pwsh against real SMTP servers on loopback (MailOps.TestSupport.Smtp.SmtpTestServer
# runs tests/MailOps.TestSupport/Smtp/smtp_test_server.py with Debian's /usr/bin/python3 and
# python3-aiosmtpd, keeping what it accepts), each test with its own store under $TestDrive and
# its own servers. Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10.

Describe 'Send-RelayMail' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        # The DMARC check of the From domain asks this server, never the internet (SendFixture).
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new().
            AddTxt('_dmarc.strict.example', [string[]] @('v=DMARC1; p=reject')).
            AddTxt('_dmarc.contoso.example', [string[]] @('v=DMARC1; p=reject')).
            AddTxt('_dmarc.lenient.example', [string[]] @('v=DMARC1; p=none'))
        $dns = [MailOps.TestSupport.Dns.DnsTestServer]::new($zone).Start()
        $PSDefaultParameterValues['Send-RelayMail:DnsServer'] = $dns.Endpoint

        $servers = [System.Collections.Generic.List[object]]::new()
        function Start-SmtpTestServer {
            param([hashtable] $Settings = @{})
            $options = [MailOps.TestSupport.Smtp.SmtpTestServerOptions]::new()
            $options.SaveMessages = $true
            foreach ($key in $Settings.Keys) { $options.$key = $Settings[$key] }
            $server = [MailOps.TestSupport.Smtp.SmtpTestServer]::Start($options)
            $servers.Add($server)
            $server
        }

        function New-StorePath {
            [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'), 'mailops.db')
        }

        # A plain (no TLS) profile on loopback (SendFixture.Register).
        function Add-TestRelay {
            param([string] $Store, [string] $Name, [int] $Port, [int] $Priority = 100, [string] $Category = 'Transactional', [string[]] $Filter = @())
            Register-RelayServer -Name $Name -Server 127.0.0.1 -Port $Port -Security None -Priority $Priority -Category $Category -FromFilter $Filter -Path $Store -ErrorAction Stop | Out-Null
        }

        function Get-Verbs { param($Server) @($Server.Commands | ForEach-Object { $_.Verb }) }

        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $closedPort = $probe.LocalEndpoint.Port
        $probe.Stop()
    }

    AfterAll {
        foreach ($server in $servers) { $server.Dispose() }
        $dns.Dispose()
        $PSDefaultParameterValues.Remove('Send-RelayMail:DnsServer')
    }

    BeforeEach {
        $store = New-StorePath
    }

    It 'sends through a profile: the message arrives with its content and the result is Sent' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter contoso.example

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Body 'Please find your invoice.' -Path $store -ErrorAction Stop

        $r.GetType().FullName | Should -BeExactly 'MailOps.Core.Relay.RelaySendResult'
        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.Server | Should -BeExactly 'Office'
        $r.AcceptedRecipients | Should -Be @('carol@fabrikam.example')
        $r.FromRewritten | Should -BeFalse
        $r.OutboxId | Should -Not -BeNullOrEmpty
        $r.Attempts | Should -Be 1
        Get-Verbs $server | Should -Contain 'MAIL'
        Get-Verbs $server | Should -Contain 'RCPT'
        Get-Verbs $server | Should -Contain 'DATA'
        $received = @($server.ReceivedMessages)
        $received | Should -HaveCount 1
        $received[0] | Should -Match 'Subject: Invoice 42'
        $received[0] | Should -Match 'Please find your invoice\.'
        $received[0] | Should -Match ([regex]::Escape("<$($r.MessageId)>"))
    }

    It 'fails over to the second profile when the first refuses the connection' {
        $backup = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Primary -Port $closedPort -Priority 10 -Filter contoso.example
        Add-TestRelay -Store $store -Name Backup -Port $backup.Port -Priority 20 -Filter contoso.example

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop

        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.Server | Should -BeExactly 'Backup'
        @($backup.ReceivedMessages) | Should -HaveCount 1
    }

    It 'rewrites a From no profile may send as, with Reply-To and a warning' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter contoso.example
        Set-RelayDefault -DefaultFrom noreply -DomainAlias contoso.example -Path $store -ErrorAction Stop

        $r = Send-RelayMail -From 'Bob Smith <bob@partner.example>' -To carol@fabrikam.example -Subject Hello -Path $store -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue

        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.FromRewritten | Should -BeTrue
        $r.From | Should -Match 'noreply@contoso\.example'
        $r.OriginalFrom | Should -Match 'bob@partner\.example'
        ($warnings -join ' ') | Should -Match 'rewritten'
        $received = @($server.ReceivedMessages)[0]
        $received | Should -Match 'From: Bob Smith <noreply@contoso\.example>'
        $received | Should -Match 'Reply-To: Bob Smith <bob@partner\.example>'
    }

    It 'uses only the Bulk profile for -Category Bulk' {
        $transactional = Start-SmtpTestServer
        $bulk = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $transactional.Port -Priority 10 -Category Transactional
        Add-TestRelay -Store $store -Name Newsletter -Port $bulk.Port -Priority 10 -Category Bulk

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject News -Category Bulk -Path $store -ErrorAction Stop

        $r.Server | Should -BeExactly 'Newsletter'
        $r.Category.ToString() | Should -BeExactly 'Bulk'
        @($bulk.ReceivedMessages) | Should -HaveCount 1
        @($transactional.Commands) | Should -HaveCount 0
    }

    It 'makes a 5xx reply Failed with codes and the error RelaySendFailed' {
        $server = Start-SmtpTestServer @{ StartFailing = $true; FailReply = '550 5.7.1 Sender not allowed' }
        Add-TestRelay -Store $store -Name Office -Port $server.Port

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $r.Status.ToString() | Should -BeExactly 'Failed'
        $r.StatusCode | Should -Be 550
        $r.EnhancedStatusCode | Should -BeExactly '5.7.1'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RelaySendFailed,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        (Get-RelayMessage -Id $r.OutboxId -Path $store).Status.ToString() | Should -BeExactly 'Failed'
        @($server.ReceivedMessages) | Should -HaveCount 0
    }

    It 'refuses a line break in <Parameter> and queues or sends nothing' -ForEach @(
        @{ Parameter = 'Subject'; Value = "Hello`r`nBcc: victim@evil.example" }
        @{ Parameter = 'From'; Value = "billing@contoso.example`nBcc: victim@evil.example" }
        @{ Parameter = 'To'; Value = "carol@fabrikam.example`r`nX-Injected: 1" }
        @{ Parameter = 'ReplyTo'; Value = "help@contoso.example`rX-Injected: 1" }
    ) {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        $p = @{ From = 'billing@contoso.example'; To = 'carol@fabrikam.example'; Subject = 'Invoice 42'; Path = $store }
        $p[$Parameter] = $Value

        $r = Send-RelayMail @p -ErrorVariable errors -ErrorAction SilentlyContinue

        $r | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'HeaderInjection,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @($server.Commands) | Should -HaveCount 0
        @(Get-RelayMessage -Path $store) | Should -HaveCount 0
    }

    It '-WhatIf sends nothing and writes no store' {
        $server = Start-SmtpTestServer

        $r = Send-RelayMail -SmtpServer 127.0.0.1 -Port $server.Port -Security None -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -WhatIf

        $r | Should -BeNullOrEmpty
        @($server.Commands) | Should -HaveCount 0
        Test-Path $store | Should -BeFalse
        Test-Path (Split-Path $store) | Should -BeFalse
    }

    It 'sends a pipeline of twenty CSV rows over one SMTP session' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        $rows = 1..20 | ForEach-Object { [pscustomobject]@{ To = "user$_@fabrikam.example"; Subject = "Row $_"; Body = "Body $_" } }

        $r = @($rows | Send-RelayMail -From billing@contoso.example -Path $store -ErrorAction Stop)

        $r | Should -HaveCount 20
        @($r | Where-Object { $_.Status.ToString() -ne 'Sent' }) | Should -HaveCount 0
        @($r | ForEach-Object { $_.AcceptedRecipients[0] }) | Should -Be @(1..20 | ForEach-Object { "user$_@fabrikam.example" })
        @($server.Commands | ForEach-Object { $_.Session } | Select-Object -Unique) | Should -HaveCount 1
        @($server.Commands | Where-Object Verb -eq 'EHLO') | Should -HaveCount 1
        @($server.Commands | Where-Object Verb -eq 'DATA') | Should -HaveCount 20
        @($server.ReceivedMessages) | Should -HaveCount 20
    }

    It 'skips a suppressed recipient and reports it while the others get the message' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        Add-MailSuppression -Address gone@fabrikam.example -Reason HardBounce -Path $store -ErrorAction Stop

        $r = Send-RelayMail -From billing@contoso.example -To gone@fabrikam.example, carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop

        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.AcceptedRecipients | Should -Be @('carol@fabrikam.example')
        $r.RejectedRecipients | Should -HaveCount 1
        $r.RejectedRecipients[0].Address | Should -BeExactly 'gone@fabrikam.example'
        $r.RejectedRecipients[0].Reason | Should -BeExactly 'suppressed'
        @($server.Commands | Where-Object Verb -eq 'RCPT' | ForEach-Object { $_.Argument.Substring(3) }) | Should -Be @('<carol@fabrikam.example>')
    }

    It 'sends and queues nothing when every recipient is suppressed, and reports Failed' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        Add-MailSuppression -Address carol@fabrikam.example -Reason Complaint -Path $store -ErrorAction Stop

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop

        $r.Status.ToString() | Should -BeExactly 'Failed'
        $r.OutboxId | Should -BeNullOrEmpty
        $r.RejectedRecipients[0].Reason | Should -BeExactly 'suppressed'
        @($server.Commands) | Should -HaveCount 0
        @(Get-RelayMessage -Path $store) | Should -HaveCount 0
    }

    It 'writes NoRelayServer when no profile matches and no default sender is set' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter contoso.example

        $r = Send-RelayMail -From someone@elsewhere.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $r | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NoRelayServer,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @($server.Commands) | Should -HaveCount 0
    }

    It 'never sends a credential over a plain connection; the message waits in the outbox' {
        $server = Start-SmtpTestServer @{ AuthUser = 'relay@contoso.example'; AuthPassword = 'Never-Leak-This-Pw1' }
        $credential = [pscredential]::new('relay@contoso.example', [System.Net.NetworkCredential]::new('', 'Never-Leak-This-Pw1').SecurePassword)

        $r = Send-RelayMail -SmtpServer 127.0.0.1 -Port $server.Port -Security None -Credential $credential -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -Verbose -WarningAction SilentlyContinue 4>&1

        $result = @($r | Where-Object { $_ -is [MailOps.Core.Relay.RelaySendResult] })
        $verbose = @($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
        $result[0].Status.ToString() | Should -BeExactly 'Deferred'
        $result[0].Error | Should -Match 'not encrypted'
        @($server.Commands | Where-Object { $_.Verb -in 'AUTH', 'MAIL' }) | Should -HaveCount 0
        ($verbose -join "`n") | Should -Not -Match 'Never-Leak-This-Pw1'
    }

    It 'logs in with -AllowUnencryptedAuthentication and sends through -SmtpServer' {
        $server = Start-SmtpTestServer @{ AuthUser = 'relay@contoso.example'; AuthPassword = 'Plain-Allowed-Pw2' }
        $credential = [pscredential]::new('relay@contoso.example', [System.Net.NetworkCredential]::new('', 'Plain-Allowed-Pw2').SecurePassword)

        $r = Send-RelayMail -SmtpServer 127.0.0.1 -Port $server.Port -Security None -AllowUnencryptedAuthentication -Credential $credential -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop

        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.Server | Should -BeExactly "127.0.0.1:$($server.Port)"
        @($server.Commands | Where-Object Verb -eq 'AUTH') | Should -Not -BeNullOrEmpty
        [System.IO.File]::ReadAllText($store) | Should -Not -Match 'Plain-Allowed-Pw2'
        @($server.ReceivedMessages) | Should -HaveCount 1
    }

    It 'warns when the From domain is not yours and publishes DMARC p=reject' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port

        $r = Send-RelayMail -From news@strict.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue

        $r.Status.ToString() | Should -BeExactly 'Sent'
        ($warnings -join ' ') | Should -Match 'strict\.example'
        ($warnings -join ' ') | Should -Match 'p=reject'
    }

    It 'does not warn about DMARC for <From>' -ForEach @(
        @{ From = 'billing@contoso.example'; Filter = @('contoso.example') }
        @{ From = 'info@lenient.example'; Filter = @() }
    ) {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter $Filter

        $r = Send-RelayMail -From $From -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue

        $r.Status.ToString() | Should -BeExactly 'Sent'
        ($warnings -join ' ') | Should -Not -Match 'DMARC'
    }

    It 'skips a profile that answers 421 at the greeting for the next one' {
        $busy = Start-SmtpTestServer @{ Greeting421 = $true }
        $backup = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Busy -Port $busy.Port -Priority 10
        Add-TestRelay -Store $store -Name Backup -Port $backup.Port -Priority 20

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorAction Stop

        $r.Server | Should -BeExactly 'Backup'
        @($backup.ReceivedMessages) | Should -HaveCount 1
    }

    It 'sends inside TLS with a trusted company root and defers without it' {
        $authority = [MailOps.TestSupport.Https.TestCertificateAuthority]::new('MailOps Test Root CA')
        try {
            $server = Start-SmtpTestServer @{ Certificate = $authority.IssueServerCertificate([string[]] @('localhost')); StartTls = $true; RequireStartTls = $true }
            Register-RelayServer -Name Tls -Server localhost -Port $server.Port -Security StartTls -Path $store -ErrorAction Stop | Out-Null
            $roots = [System.Security.Cryptography.X509Certificates.X509Certificate2[]] @($authority.Certificate)

            $untrusted = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject Untrusted -Path $store -WarningAction SilentlyContinue
            $trusted = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject Trusted -TrustedRootCertificate $roots -Path $store -ErrorAction Stop

            $untrusted.Status.ToString() | Should -BeExactly 'Deferred'
            $untrusted.Error | Should -Match 'certificate'
            $trusted.Status.ToString() | Should -BeExactly 'Sent'
            $trusted.CertificateCheckSkipped | Should -BeFalse
            @($server.Commands | Where-Object { $_.Verb -in 'MAIL', 'RCPT', 'DATA' -and -not $_.Tls }) | Should -HaveCount 0
            @($server.ReceivedMessages) | Should -HaveCount 1
            @($server.ReceivedMessages)[0] | Should -Match 'Subject: Trusted'
        }
        finally {
            $authority.Dispose()
        }
    }

    It 'DkimSigningKey signs with the From domain and dkimpy verifies the message that arrived' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $keyFile = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('N') + '.pem')
        Set-Content -LiteralPath $keyFile -Value $rsa.ExportPkcs8PrivateKeyPem()
        $record = 'v=DKIM1; k=rsa; p=' + [Convert]::ToBase64String($rsa.ExportSubjectPublicKeyInfo())
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter contoso.example

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Body 'Please find your invoice.' -DkimSigningKey $keyFile -DkimSelector s2048 -Path $store -ErrorAction Stop

        [string] $r.Status | Should -BeExactly 'Sent'
        $received = @($server.ReceivedMessages)
        $received | Should -HaveCount 1
        $received[0] | Should -Match 'd=contoso\.example'
        $verdict = [MailOps.TestSupport.Smtp.DkimPythonVerifier]::Verify([System.Text.Encoding]::UTF8.GetBytes($received[0]), $record, 's2048._domainkey.contoso.example')
        $verdict.Ok | Should -BeTrue
        Remove-Item -LiteralPath $keyFile
    }

    It 'DkimSigningKey without DkimSelector stops with InvalidDkimSelector and sends nothing' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $keyFile = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('N') + '.pem')
        Set-Content -LiteralPath $keyFile -Value $rsa.ExportPkcs8PrivateKeyPem()
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter contoso.example

        { Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -DkimSigningKey $keyFile -Path $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDkimSelector*'
        @($server.ReceivedMessages) | Should -HaveCount 0
        Remove-Item -LiteralPath $keyFile
    }

    It 'logs in with the secret that Get-Secret returns for a profile with -SecretName' {
        $server = Start-SmtpTestServer @{ AuthUser = 'relay@contoso.example'; AuthPassword = 'From-The-Vault-3' }
        Register-RelayServer -Name Vaulted -Server 127.0.0.1 -Port $server.Port -Security None -SecretName relay-login -Path $store -ErrorAction Stop | Out-Null

        # A stand-in for Microsoft.PowerShell.SecretManagement's Get-Secret, local to this block.
        $r = & {
            function Get-Secret { param([string] $Name, [string] $Vault)
                if ($Name -ne 'relay-login') { throw "no secret $Name" }
                [pscredential]::new('relay@contoso.example', [System.Net.NetworkCredential]::new('', 'From-The-Vault-3').SecurePassword)
            }
            Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Vault' -Body 'x' -AllowUnencryptedAuthentication -Path $store -ErrorAction Stop
        }

        [string] $r.Status | Should -BeExactly 'Sent'
        (Get-Verbs $server) | Should -Contain 'AUTH'
        @($server.ReceivedMessages) | Should -HaveCount 1
        [System.IO.File]::ReadAllText($store) | Should -Not -Match 'From-The-Vault-3'
    }

    It 'writes CredentialStorageUnavailable and sends or queues nothing when Get-Secret is missing' {
        $server = Start-SmtpTestServer @{ AuthUser = 'relay@contoso.example'; AuthPassword = 'Unused-4' }
        Register-RelayServer -Name Vaulted -Server 127.0.0.1 -Port $server.Port -Security None -SecretName relay-login -Path $store -ErrorAction Stop | Out-Null

        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Invoice 42' -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $r | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'CredentialStorageUnavailable*'
        $errors[0].Exception.Message | Should -Match 'Get-Secret'
        @($server.ReceivedMessages) | Should -HaveCount 0
        @(Get-RelayMessage -Path $store) | Should -HaveCount 0
    }

    It 'leaves a message Deferred in the outbox when the pipeline is stopped while it is on the wire' {
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        Add-TestRelay -Store $store -Name Silent -Port $silent.LocalEndpoint.Port
        $ps = [powershell]::Create()
        $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-MailOpsModuleManifest)).AddStatement()
        $null = $ps.AddCommand('Send-RelayMail').AddParameter('From', 'billing@contoso.example').AddParameter('To', 'carol@fabrikam.example').
            AddParameter('Subject', 'Stopped').AddParameter('Body', 'x').AddParameter('Path', $store).AddParameter('DnsServer', $dns.Endpoint).AddParameter('TimeoutSec', 120)
        $pending = $ps.BeginInvoke()

        # Accepting the connection proves the message was queued and its transaction started.
        $accepted = $silent.AcceptTcpClient()
        $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()

        { $ps.EndInvoke($pending) } | Should -Throw
        $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 30
        $message = @(Get-RelayMessage -Path $store)
        $message | Should -HaveCount 1
        [string] $message[0].Status | Should -BeExactly 'Deferred'
        $message[0].LastError | Should -Match 'stopped'
        $accepted.Dispose(); $silent.Stop(); $ps.Dispose()
    }

    It 'writes results and errors in input order while sends overlap' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port -Priority 10 -Filter contoso.example
        $rows = 'a@fabrikam.example', 'not an address', 'b@fabrikam.example', 'c@fabrikam.example', 'also bad', 'd@fabrikam.example' |
            ForEach-Object { [pscustomobject] @{ To = $_; Subject = "Row $_" } }

        $lines = $rows | Send-RelayMail -From billing@contoso.example -Body x -Path $store 2>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error: ' + $_.TargetObject } else { 'sent: ' + ($_.AcceptedRecipients -join ',') }
        }

        $lines | Should -Be @('sent: a@fabrikam.example', 'error: not an address', 'sent: b@fabrikam.example', 'sent: c@fabrikam.example', 'error: also bad', 'sent: d@fabrikam.example')
        @($server.ReceivedMessages) | Should -HaveCount 4
    }

    It 'queues a copy for a recipient refused for now and Invoke-RelayQueue delivers it to that recipient only' {
        $options = [MailOps.TestSupport.Smtp.SmtpTestServerOptions]::new()
        $options.SaveMessages = $true
        $options.RejectRecipients['ben@fabrikam.example'] = '450 4.2.1 Mailbox busy, try later'
        $busy = [MailOps.TestSupport.Smtp.SmtpTestServer]::Start($options)
        $servers.Add($busy)
        Add-TestRelay -Store $store -Name Office -Port $busy.Port -Priority 10 -Filter contoso.example

        $r = Send-RelayMail -From billing@contoso.example -To anna@fabrikam.example, ben@fabrikam.example -Subject 'Invoice 42' -Body x -Path $store -WarningVariable warnings -ErrorAction Stop

        [string] $r.Status | Should -BeExactly 'Sent'
        $r.AcceptedRecipients | Should -Be @('anna@fabrikam.example')
        $r.DeferredRecipients | Should -Be @('ben@fabrikam.example')
        ($warnings -join ' ') | Should -Match 'Invoke-RelayQueue'
        $waiting = @(Get-RelayMessage -Path $store -Status Deferred)
        $waiting | Should -HaveCount 1
        $waiting[0].Id | Should -Be $r.RetryOutboxId
        $waiting[0].LastStatusCode | Should -Be 450

        $free = Start-SmtpTestServer
        Set-RelayServer -Name Office -Port $free.Port -Path $store -ErrorAction Stop
        $drained = Invoke-RelayQueue -Force -Path $store -ErrorAction Stop

        [string] $drained.Status | Should -BeExactly 'Sent'
        @($free.Commands | Where-Object Verb -eq 'RCPT' | ForEach-Object { $_.Argument.Split([char[]] '<>')[1] }) | Should -Be @('ben@fabrikam.example')
        @($busy.ReceivedMessages) | Should -HaveCount 1
        @($free.ReceivedMessages) | Should -HaveCount 1
        @(Get-RelayMessage -Path $store -Status Deferred, Queued, Sending) | Should -HaveCount 0
    }
}


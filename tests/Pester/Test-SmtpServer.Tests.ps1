# Mirrors tests/MailOps.PowerShell.Tests/SmtpServerTests.cs in Pester 5: Test-SmtpServer through
# real pwsh against real SMTP servers on loopback (MailOps.TestSupport.Smtp.SmtpTestServer runs
# tests/MailOps.TestSupport/Smtp/smtp_test_server.py with Debian's /usr/bin/python3 and
# python3-aiosmtpd), with the servers of SmtpFixture.cs. Needs `dotnet build MailOps.sln -c
# Release` first, pwsh on .NET 10 (PowerShell 7.6+) and `apt-get install python3-aiosmtpd`.

Describe 'Test-SmtpServer' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $user = 'alice@contoso.example'
        $password = 'Zx9-Very-Secret-Pw!'
        $secure = [System.Net.NetworkCredential]::new('', $password).SecurePassword
        $credential = [System.Management.Automation.PSCredential]::new($user, $secure)

        $ca = [MailOps.TestSupport.Https.TestCertificateAuthority]::new('MailOps Test Root CA')
        $trusted = [System.Security.Cryptography.X509Certificates.X509Certificate2[]] @($ca.Certificate)
        $localhostCert = $ca.IssueServerCertificate([string[]] @('localhost'))
        $servers = [System.Collections.Generic.List[object]]::new()
        function Start-SmtpTestServer {
            param([hashtable] $Settings)
            $options = [MailOps.TestSupport.Smtp.SmtpTestServerOptions]::new()
            foreach ($key in $Settings.Keys) {
                if ($key -eq 'RejectRecipients') {
                    foreach ($address in $Settings[$key].Keys) { $options.RejectRecipients[$address] = $Settings[$key][$address] }
                }
                else {
                    $options.$key = $Settings[$key]
                }
            }

            $server = [MailOps.TestSupport.Smtp.SmtpTestServer]::Start($options)
            $servers.Add($server)
            $server
        }

        $plain = Start-SmtpTestServer @{ AuthUser = $user; AuthPassword = $password; RejectRecipients = @{ 'far@other.example' = '550 5.7.1 Relaying denied' } }
        $startTls = Start-SmtpTestServer @{ Certificate = $localhostCert; StartTls = $true; RequireStartTls = $true; AuthUser = $user; AuthPassword = $password; AuthRequireTls = $true }
        $implicit = Start-SmtpTestServer @{ Certificate = $localhostCert; ImplicitTls = $true; AuthUser = $user; AuthPassword = $password; AuthRequireTls = $true }
        $wrongName = Start-SmtpTestServer @{ Certificate = $ca.IssueServerCertificate([string[]] @('mail.contoso.example', 'smtp.contoso.example')); StartTls = $true }
        $expired = Start-SmtpTestServer @{ Certificate = $ca.IssueExpiredServerCertificate([string[]] @('localhost')); StartTls = $true }
        $authFail = Start-SmtpTestServer @{ Certificate = $localhostCert; StartTls = $true; AuthFail = $true; AuthRequireTls = $true }
        $busy = Start-SmtpTestServer @{ Greeting421 = $true }
        $greylist = Start-SmtpTestServer @{ MailReply = '451 4.7.1 Greylisted, please try again later' }

        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        $silentPort = $silent.LocalEndpoint.Port
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $closedPort = $probe.LocalEndpoint.Port
        $probe.Stop()
    }

    AfterAll {
        $silent.Stop()
        foreach ($server in $servers) { $server.Dispose() }
        $ca.Dispose()
    }

    It 'reports banner, capabilities and size of a plain server and reaches Done' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security None -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Stage | Should -Be 'Done'
        $r.Security | Should -Be 'None'
        $r.Banner | Should -BeLike 'mail.test*'
        $r.Capabilities | Should -Contain 'SIZE 33554432'
        $r.MaxMessageSize | Should -Be 33554432
    }

    It 'logs in over StartTls and the server saw AUTH only after STARTTLS' {
        $r = Test-SmtpServer localhost -Port $startTls.Port -Security StartTls -Credential $credential -TrustedRootCertificate $trusted -HeloName pester-login -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Authenticated | Should -BeTrue
        $r.Certificate.NameMatches | Should -BeTrue
        $session = @($startTls.WaitForSession('pester-login', $null))
        $verbs = @($session | ForEach-Object Verb)
        $verbs.IndexOf('AUTH') | Should -BeGreaterThan $verbs.IndexOf('STARTTLS')
        ($session | Where-Object Verb -eq 'AUTH').Tls | Should -BeTrue
    }

    It 'never shows the password in verbose output or the result' {
        $verbose = Test-SmtpServer localhost -Port $startTls.Port -Security StartTls -Credential $credential -TrustedRootCertificate $trusted -TimeoutSec 5 -Verbose 4>&1
        $lines = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $result = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $lines | Where-Object { $_ -like 'C: AUTH*' } | Should -Not -BeNullOrEmpty
        ($lines -join "`n") | Should -Not -BeLike "*$password*"
        ($result | ConvertTo-Json -Depth 5) | Should -Not -BeLike "*$password*"
        $result.Authenticated | Should -BeTrue
    }

    It 'logs in with SslOnConnect on an implicit TLS port' {
        $r = Test-SmtpServer localhost -Port $implicit.Port -Security SslOnConnect -Credential $credential -TrustedRootCertificate $trusted -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Security | Should -Be 'SslOnConnect'
        $r.Certificate.SubjectAlternativeNames | Should -Contain 'localhost'
    }

    It 'fails at Connect with a nothing-listens hint when the connection is refused' {
        $r = Test-SmtpServer 127.0.0.1 -Port $closedPort -Security StartTls -TimeoutSec 5
        $r.Stage | Should -Be 'Connect'
        $r.Error.Reason | Should -Be 'ConnectionRefused'
        $r.Error.Hint | Should -BeLike "*Nothing listens on port $closedPort*"
    }

    It 'times out at Connect, transient, when the listener never greets' {
        $r = Test-SmtpServer 127.0.0.1 -Port $silentPort -Security StartTls -TimeoutSec 1
        $r.Stage | Should -Be 'Connect'
        $r.Error.Reason | Should -Be 'Timeout'
        $r.Error.IsTransient | Should -BeTrue
        $r.Error.Hint | Should -BeLike '*sent no greeting*'
    }

    It 'fails at Connect with 421 as transient and a try-later hint' {
        $r = Test-SmtpServer localhost -Port $busy.Port -Security StartTls -TimeoutSec 5
        $r.Stage | Should -Be 'Connect'
        $r.Error.StatusCode | Should -Be 421
        $r.Error.EnhancedStatusCode | Should -Be '4.7.0'
        $r.Error.IsTransient | Should -BeTrue
        $r.Error.Hint | Should -BeLike '*try again later*'
    }

    It 'fails at Tls and never downgrades when StartTls meets a server without STARTTLS' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security StartTls -Credential $credential -HeloName pester-nostarttls -TimeoutSec 5
        $r.Stage | Should -Be 'Tls'
        $r.Error.Reason | Should -Be 'StartTlsNotOffered'
        $r.Error.Hint | Should -BeLike '*never downgrades*'
        @($plain.WaitForSession('pester-nostarttls', $null) | ForEach-Object Verb) | Should -Not -Contain 'AUTH'
    }

    It 'fails at Tls with a use-StartTls hint for SslOnConnect against a plain server' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security SslOnConnect -TimeoutSec 5
        $r.Stage | Should -Be 'Tls'
        $r.Error.Reason | Should -Be 'TlsHandshakeFailed'
        $r.Error.Hint | Should -BeLike '*-Security StartTls*'
    }

    It 'hints SslOnConnect for StartTls against an implicit TLS port' {
        $r = Test-SmtpServer localhost -Port $implicit.Port -Security StartTls -TimeoutSec 1
        $r.Succeeded | Should -BeFalse
        $r.Stage | Should -Be 'Connect'
        $r.Error.Hint | Should -BeLike '*-Security SslOnConnect*'
    }

    It 'fails at Tls for an untrusted certificate with a TrustedRootCertificate hint' {
        $r = Test-SmtpServer localhost -Port $startTls.Port -Security StartTls -Credential $credential -TimeoutSec 5
        $r.Stage | Should -Be 'Tls'
        $r.Error.Reason | Should -Be 'CertificateUntrusted'
        $r.Error.Hint | Should -BeLike '*-TrustedRootCertificate*'
        $r.Certificate.ChainErrors | Should -Not -BeNullOrEmpty
        $r.Authenticated | Should -BeFalse
    }

    It 'fails at Tls for a wrong-name certificate and lists the names' {
        $r = Test-SmtpServer localhost -Port $wrongName.Port -Security StartTls -TrustedRootCertificate $trusted -TimeoutSec 5
        $r.Error.Reason | Should -Be 'CertificateNameMismatch'
        $r.Certificate.NameMatches | Should -BeFalse
        $r.Error.Hint | Should -BeLike '*mail.contoso.example, smtp.contoso.example*'
    }

    It 'fails at Tls for an expired certificate with a renew hint' {
        $r = Test-SmtpServer localhost -Port $expired.Port -Security StartTls -TrustedRootCertificate $trusted -TimeoutSec 5
        $r.Error.Reason | Should -Be 'CertificateExpired'
        $r.Certificate.DaysUntilExpiry | Should -BeLessThan 0
        $r.Error.Hint | Should -BeLike '*renew*'
    }

    It 'connects with -SkipCertificateCheck and says so' {
        $r = Test-SmtpServer localhost -Port $wrongName.Port -Security StartTls -SkipCertificateCheck -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.CertificateCheckSkipped | Should -BeTrue
        $r.Certificate.NameMatches | Should -BeFalse
    }

    It 'fails at Authenticate with 535 5.7.8 and a hint when the login is rejected' {
        $r = Test-SmtpServer localhost -Port $authFail.Port -Security StartTls -Credential $credential -TrustedRootCertificate $trusted -TimeoutSec 5
        $r.Stage | Should -Be 'Authenticate'
        $r.Error.StatusCode | Should -Be 535
        $r.Error.EnhancedStatusCode | Should -Be '5.7.8'
        $r.Error.IsTransient | Should -BeFalse
        $r.Error.Hint | Should -BeLike '*user name or password*'
    }

    It 'refuses to send a credential over plain text' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security None -Credential $credential -HeloName pester-plainauth -TimeoutSec 5
        $r.Error.Reason | Should -Be 'UnencryptedAuthenticationRefused'
        @($plain.WaitForSession('pester-plainauth', $null) | ForEach-Object Verb) | Should -Not -Contain 'AUTH'
    }

    It 'logs in over plain text with -AllowUnencryptedAuthentication' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security None -Credential $credential -AllowUnencryptedAuthentication -HeloName pester-allowplain -TimeoutSec 5
        $r.Authenticated | Should -BeTrue
        ($plain.WaitForSession('pester-allowplain', $null) | Where-Object Verb -eq 'AUTH').Tls | Should -BeFalse
    }

    It 'fails at Authenticate with a use-TLS hint when AUTH is not offered before STARTTLS' {
        $r = Test-SmtpServer localhost -Port $startTls.Port -Security None -Credential $credential -AllowUnencryptedAuthentication -TimeoutSec 5
        $r.Error.Reason | Should -Be 'AuthenticationNotOffered'
        $r.Error.Hint | Should -BeLike '*-Security StartTls*'
    }

    It 'accepts sender and recipient, resets, and sends no message' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security None -From me@contoso.example -To you@contoso.example -HeloName pester-envelope -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.SenderAccepted | Should -BeTrue
        @($plain.WaitForSession('pester-envelope', $null) | ForEach-Object Verb) | Should -Be @('EHLO', 'MAIL', 'RCPT', 'RSET', 'QUIT')
    }

    It 'fails at RcptTo with 550 5.7.1 relay denied' {
        $r = Test-SmtpServer localhost -Port $plain.Port -Security None -From me@contoso.example -To you@contoso.example, far@other.example -HeloName pester-relay -TimeoutSec 5
        $r.Stage | Should -Be 'RcptTo'
        $r.Error.StatusCode | Should -Be 550
        $r.Error.EnhancedStatusCode | Should -Be '5.7.1'
        $r.RecipientsRejected | Should -Be @('far@other.example')
        $r.Error.Hint | Should -BeLike '*-Credential*'
        @($plain.WaitForSession('pester-relay', $null) | ForEach-Object Verb) | Should -Not -Contain 'DATA'
    }

    It 'fails at MailFrom as transient when greylisted' {
        $r = Test-SmtpServer localhost -Port $greylist.Port -Security None -From me@contoso.example -TimeoutSec 5
        $r.Stage | Should -Be 'MailFrom'
        $r.Error.StatusCode | Should -Be 451
        $r.Error.IsTransient | Should -BeTrue
    }

    It 'gets 530 and a use-StartTls hint for MAIL before STARTTLS' {
        $r = Test-SmtpServer localhost -Port $startTls.Port -Security None -From me@contoso.example -TimeoutSec 5
        $r.Stage | Should -Be 'MailFrom'
        $r.Error.StatusCode | Should -Be 530
        $r.Error.Hint | Should -BeLike '*-Security StartTls*'
    }

    It 'returns $true and $false with -Quiet' {
        Test-SmtpServer localhost -Port $plain.Port -Security None -Quiet -TimeoutSec 5 | Should -BeTrue
        Test-SmtpServer 127.0.0.1 -Port $closedPort -Security None -Quiet -TimeoutSec 5 | Should -BeFalse
    }

    It 'writes InvalidSmtpServerName for a bad name and still tests the next server' {
        $out = 'bad name!', 'localhost' | Test-SmtpServer -Port $plain.Port -Security None -TimeoutSec 5 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSmtpServerName,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @($out).Count | Should -Be 1
        $out.Succeeded | Should -BeTrue
    }

    It 'writes InvalidSmtpAddress for an invalid recipient' {
        $out = Test-SmtpServer localhost -Port $plain.Port -Security None -From me@contoso.example -To 'not an address' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSmtpAddress,*'
        $out | Should -BeNullOrEmpty
    }

    It 'binds Server, Port and Security of CSV-like rows by property name, in input order' {
        $rows = @(
            [pscustomobject]@{ Server = '127.0.0.1'; Port = $closedPort; Security = 'None' }
            [pscustomobject]@{ Server = 'localhost'; Port = $plain.Port; Security = 'None' }
        )
        $out = @($rows | Test-SmtpServer -TimeoutSec 5)
        $out.Count | Should -Be 2
        $out[0].Port | Should -Be $closedPort
        $out[0].Succeeded | Should -BeFalse
        $out[1].Succeeded | Should -BeTrue
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/PostfixTests.cs in Pester 5: Send-RelayMail through real
# pwsh to a real Postfix on 127.0.0.1:2525 (tests/postfix/start-postfix.sh, run as root; .ci/run
# does it), then the Maildir Postfix delivered to (MailOps.TestSupport.Smtp.PostfixServer; the
# variables MAILOPS_TEST_POSTFIX=host:port and MAILOPS_TEST_POSTFIX_MAILDIR override both).
# A Postfix that is not running fails these tests with the command to run; they are never skipped.
# Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10.

Describe 'Send-RelayMail through Postfix' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        # The DMARC check of the From domain asks this server, never the internet (SendFixture).
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new().
            AddTxt('_dmarc.contoso.example', [string[]] @('v=DMARC1; p=reject'))
        $dns = [MailOps.TestSupport.Dns.DnsTestServer]::new($zone).Start()
        $PSDefaultParameterValues['Send-RelayMail:DnsServer'] = $dns.Endpoint

        $postfix = [MailOps.TestSupport.Smtp.PostfixServer]::FromEnvironment()
        # Postfix delivers in milliseconds; the bound only matters when something is broken.
        $deliveryBound = [System.TimeSpan]::FromSeconds(30)

        # Register-RelayServer -Name Postfix ... after checking that Postfix answers (throws with
        # the command to run when it does not).
        function Register-PostfixRelay {
            param([string] $Store)
            $null = $postfix.EnsureRunning()
            Register-RelayServer -Name Postfix -Server $postfix.Host -Port $postfix.Port -Security None -FromFilter contoso.example -Path $Store -ErrorAction Stop | Out-Null
        }

        function New-UniqueSubject { 'MailOps Postfix end-to-end ' + [guid]::NewGuid().ToString('N') }
    }

    AfterAll {
        $dns.Dispose()
        $PSDefaultParameterValues.Remove('Send-RelayMail:DnsServer')
    }

    BeforeEach {
        $store = [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'), 'mailops.db')
    }

    It 'delivers the message to the Maildir with its headers and lists it as Sent' {
        Register-PostfixRelay -Store $store
        $subject = New-UniqueSubject

        $r = Send-RelayMail -From billing@contoso.example -To alice@postfix.test -Subject $subject -Body 'Delivered by a real Postfix.' -Path $store -ErrorAction Stop

        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.Server | Should -BeExactly 'Postfix'
        $r.AcceptedRecipients | Should -Contain 'alice@postfix.test'
        @($r.RejectedRecipients) | Should -HaveCount 0
        $delivery = $postfix.WaitForMessage($subject, $deliveryBound)
        $delivery.Header('Subject') | Should -BeExactly $subject
        $delivery.Header('From') | Should -BeExactly 'billing@contoso.example'
        $delivery.Header('Message-ID') | Should -BeExactly "<$($r.MessageId)>"
        # Added by Postfix itself: the envelope it accepted and the mailbox it delivered to.
        $delivery.Header('Return-Path') | Should -BeExactly '<billing@contoso.example>'
        $delivery.Header('Delivered-To') | Should -BeExactly 'alice@postfix.test'
        $delivery.Text | Should -Match 'Delivered by a real Postfix\.'
        $sent = @(Get-RelayMessage -Status Sent -Path $store -ErrorAction Stop)
        $sent | Should -HaveCount 1
        $sent[0].Id | Should -Be $r.OutboxId
        $sent[0].MessageId | Should -BeExactly $r.MessageId
        $sent[0].RelayServer | Should -BeExactly 'Postfix'
    }

    It 'makes a recipient Postfix refuses with 550 5.1.1 Failed in the result and the outbox' {
        Register-PostfixRelay -Store $store
        $rejectedAddress = [MailOps.TestSupport.Smtp.PostfixServer]::RejectedRecipient

        $r = Send-RelayMail -From billing@contoso.example -To $rejectedAddress -Subject (New-UniqueSubject) -Body 'Refused at RCPT TO.' -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $r.Status.ToString() | Should -BeExactly 'Failed'
        $r.Server | Should -BeExactly 'Postfix'
        # Postfix's own reply to RCPT, not the 554 that MailKit makes up when every RCPT was refused.
        $r.StatusCode | Should -Be 550
        $r.EnhancedStatusCode | Should -BeExactly '5.1.1'
        @($r.AcceptedRecipients) | Should -HaveCount 0
        $r.RejectedRecipients | Should -HaveCount 1
        $r.RejectedRecipients[0].Address | Should -BeExactly $rejectedAddress
        $r.RejectedRecipients[0].StatusCode | Should -Be 550
        $r.RejectedRecipients[0].EnhancedStatusCode | Should -BeExactly '5.1.1'
        $r.RejectedRecipients[0].Reason | Should -Match 'no such user'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RelaySendFailed,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        $message = Get-RelayMessage -Id $r.OutboxId -Path $store -ErrorAction Stop
        $message.Status.ToString() | Should -BeExactly 'Failed'
        $message.LastStatusCode | Should -Be 550
        $message.LastEnhancedStatusCode | Should -BeExactly '5.1.1'
    }
}

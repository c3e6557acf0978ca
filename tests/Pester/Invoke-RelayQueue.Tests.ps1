# Mirrors tests/MailOps.PowerShell.Tests/SendRelayQueueTests.cs in Pester 5: the outbox side of
# sending (4xx deferral, Invoke-RelayQueue retries, a fault-injection run that must deliver every
# message exactly once) through real pwsh against SMTP servers on loopback
# (MailOps.TestSupport.Smtp.SmtpTestServer, Debian's python3-aiosmtpd). Needs `dotnet build
# MailOps.sln -c Release` first and pwsh on .NET 10.

Describe 'Invoke-RelayQueue' {
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

        function Add-TestRelay {
            param([string] $Store, [string] $Name, [int] $Port)
            Register-RelayServer -Name $Name -Server 127.0.0.1 -Port $Port -Security None -Path $Store -ErrorAction Stop | Out-Null
        }
    }

    AfterAll {
        foreach ($server in $servers) { $server.Dispose() }
        $dns.Dispose()
        $PSDefaultParameterValues.Remove('Send-RelayMail:DnsServer')
    }

    BeforeEach {
        $store = New-StorePath
    }

    It 'defers on a 4xx reply and delivers once the server recovers' {
        $server = Start-SmtpTestServer @{ StartFailing = $true; FailReply = '451 4.3.2 Try again later' }
        Add-TestRelay -Store $store -Name Office -Port $server.Port

        $first = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject 'Retry me' -Path $store -WarningVariable warnings -WarningAction SilentlyContinue

        $first.Status.ToString() | Should -BeExactly 'Deferred'
        $first.StatusCode | Should -Be 451
        ($warnings -join ' ') | Should -Match 'deferred'
        (Get-RelayMessage -Id $first.OutboxId -Path $store).Status.ToString() | Should -BeExactly 'Deferred'
        @(Invoke-RelayQueue -Path $store -ErrorAction Stop) | Should -HaveCount 0

        $server.SetFailing($false)
        $r = Invoke-RelayQueue -Force -Path $store -ErrorAction Stop

        $r.Status.ToString() | Should -BeExactly 'Sent'
        $r.MessageId | Should -BeExactly $first.MessageId
        $r.Attempts | Should -Be 2
        (Get-RelayMessage -Id $first.OutboxId -Path $store).Status.ToString() | Should -BeExactly 'Sent'
        @($server.ReceivedMessages) | Should -HaveCount 1
        @(Invoke-RelayQueue -Force -Path $store) | Should -HaveCount 0
    }

    It '-WhatIf sends nothing and leaves the message Deferred' {
        $server = Start-SmtpTestServer @{ StartFailing = $true }
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        $null = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject Later -Path $store -WarningAction SilentlyContinue
        $server.SetFailing($false)
        $before = @($server.Commands).Count

        $r = Invoke-RelayQueue -Force -WhatIf -Path $store

        $r | Should -BeNullOrEmpty
        @($server.Commands).Count | Should -Be $before
        (Get-RelayMessage -Path $store).Status.ToString() | Should -BeExactly 'Deferred'
    }

    It 'writes RelayMessageNotFound for an unknown -Id' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port

        $null = Invoke-RelayQueue -Id 4242 -Path $store -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'delivers every one of 500 messages exactly once while the server fails 30% at random' {
        $count = 500
        $server = Start-SmtpTestServer @{ RandomFailureRate = 0.3; RandomSeed = 7 }
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        $rows = 1..$count | ForEach-Object { [pscustomobject]@{ To = "user$_@fabrikam.example"; Subject = "Fault $_" } }

        $sent = @($rows | Send-RelayMail -From billing@contoso.example -Path $store -WarningAction SilentlyContinue)

        $sent | Should -HaveCount $count
        @($sent | Where-Object { $_.Status.ToString() -eq 'Deferred' }) | Should -Not -BeNullOrEmpty
        foreach ($round in 1..40) {
            if (@(Get-RelayMessage -Status Queued, Deferred, Sending -Path $store).Count -eq 0) { break }
            $null = Invoke-RelayQueue -Force -Path $store -WarningAction SilentlyContinue
        }

        @(Get-RelayMessage -Status Queued, Deferred, Sending, Failed -Path $store) | Should -HaveCount 0
        $delivered = @($server.ReceivedMessages | ForEach-Object {
            if ($_ -match '(?im)^Message-Id:\s*<([^>]+)>') { $Matches[1] }
        })
        $delivered | Should -HaveCount $count
        @($delivered | Sort-Object -Unique) | Should -HaveCount $count
        @(Compare-Object ($sent | ForEach-Object MessageId) $delivered) | Should -HaveCount 0
    }

    It 'Sent messages stay as a log for RetentionDays then Invoke-RelayQueue purges them' {
        $server = Start-SmtpTestServer
        Add-TestRelay -Store $store -Name Office -Port $server.Port
        $r = Send-RelayMail -From billing@contoso.example -To carol@fabrikam.example -Subject Logged -Path $store -ErrorAction Stop

        Invoke-RelayQueue -Path $store -ErrorAction Stop
        [string] (Get-RelayMessage -Id $r.OutboxId -Path $store).Status | Should -BeExactly 'Sent'

        Invoke-RelayQueue -RetentionDays 0 -Path $store -ErrorAction Stop
        $gone = @(Get-RelayMessage -Id $r.OutboxId -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)
        $gone | Should -HaveCount 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageNotFound*'
    }
}


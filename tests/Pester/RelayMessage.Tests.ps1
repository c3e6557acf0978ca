# Mirrors tests/MailOps.PowerShell.Tests/OutboxTests.cs in Pester 5: Get-, Save- and
# Stop-RelayMessage through real pwsh against the module staged in out/MailOps, each test on its
# own SQLite store under $TestDrive, with messages written through the engine's RelayOutbox
# (OutboxFixture's New-OutboxMessage: the engine types are reached through the assembly of
# Get-RelayMessage's OutputType, the one the cmdlets use).
# Needs `dotnet build MailOps.sln -c Release` first; ./build.ps1 -Test runs this folder when
# Pester 5 is installed. No DNS or SMTP server is needed.

Describe 'Get-RelayMessage, Save-RelayMessage, Stop-RelayMessage' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        # Enqueues a message through the engine and takes it through the legal transitions to
        # -State; returns its id. The MIME is Get-TestMime -Subject.
        function New-OutboxMessage {
            param([string] $Store, [string] $Subject = 'Invoice', [string] $State = 'Queued', [string[]] $To = @('anna@fabrikam.example'))
            $asm = (Get-Command Get-RelayMessage).OutputType[0].Type.Assembly
            $storeType = $asm.GetType('MailOps.Core.Store.MailOpsStore', $true)
            $outboxType = $asm.GetType('MailOps.Core.Relay.RelayOutbox', $true)
            $category = [Enum]::Parse($asm.GetType('MailOps.Core.Relay.RelayCategory', $true), 'Transactional')
            $none = [System.Threading.CancellationToken]::None
            $s = $storeType::Open($Store)
            try {
                $o = $outboxType::new($s)
                $m = $o.EnqueueAsync((Get-TestMime $Subject), 'bounce@contoso.example', [string[]] $To, "<$Subject@contoso.example>", 'billing@contoso.example', $Subject, $category, $none).GetAwaiter().GetResult()
                if ($State -eq 'Cancelled') {
                    $null = $o.CancelAsync($m.Id, $none).GetAwaiter().GetResult()
                }
                elseif ($State -ne 'Queued') {
                    $null = $o.TryBeginSendAsync($m.Id, $false, $none).GetAwaiter().GetResult()
                    switch ($State) {
                        'Sent' { $null = $o.MarkSentAsync($m.Id, 'Office', [string[]] @(), $none).GetAwaiter().GetResult() }
                        'Deferred' { $null = $o.MarkDeferredAsync($m.Id, 'Office', '451 4.7.1 greylisted', 451, '4.7.1', $none).GetAwaiter().GetResult() }
                        'Failed' { $null = $o.MarkFailedAsync($m.Id, 'Office', '550 5.7.1 relaying denied', 550, '5.7.1', $none).GetAwaiter().GetResult() }
                    }
                }
                [long] $m.Id
            }
            finally {
                $s.Dispose()
            }
        }

        function Get-TestMime {
            param([string] $Subject)
            , [System.Text.Encoding]::UTF8.GetBytes("From: billing@contoso.example`r`nTo: anna@fabrikam.example`r`nSubject: $Subject`r`n`r`nHello`r`n")
        }

        function Get-Status {
            param([string] $Store, [long] $Id)
            (Get-RelayMessage -Id $Id -Path $Store -ErrorAction Stop).Status.ToString()
        }

        function Test-SameBytes {
            param([byte[]] $Expected, [string] $File)
            [System.BitConverter]::ToString([System.IO.File]::ReadAllBytes($File)) -eq [System.BitConverter]::ToString($Expected)
        }
    }

    BeforeEach {
        $folder = [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($folder)
        $store = [System.IO.Path]::Combine($folder, 'mailops.db')
    }

    It 'Get lists every message in the order it was queued as the engine type' {
        $a = New-OutboxMessage -Store $store -Subject first
        $b = New-OutboxMessage -Store $store -Subject second -State Sent

        $r = @(Get-RelayMessage -Path $store -ErrorAction Stop)

        $r.Id | Should -Be @($a, $b)
        $r[0].GetType().FullName | Should -BeExactly 'MailOps.Core.Relay.RelayMessage'
        @($r | ForEach-Object { $_.Status.ToString() }) | Should -Be @('Queued', 'Sent')
        $r[0].Subject | Should -BeExactly 'first'
        $r[0].From | Should -BeExactly 'bounce@contoso.example'
        $r[0].Recipients | Should -Be @('anna@fabrikam.example')
    }

    It 'Get with Status returns only messages in those states' {
        $null = New-OutboxMessage -Store $store -Subject waiting
        $failed = New-OutboxMessage -Store $store -Subject bounced -State Failed
        $deferred = New-OutboxMessage -Store $store -Subject greylisted -State Deferred
        $null = New-OutboxMessage -Store $store -Subject done -State Sent

        $r = @(Get-RelayMessage -Status Failed, deferred -Path $store -ErrorAction Stop)

        $r.Id | Should -Be @($failed, $deferred)
        $r[0].LastStatusCode | Should -Be 550
        $r[0].LastEnhancedStatusCode | Should -BeExactly '5.7.1'
        $r[1].NextAttemptAt | Should -Not -BeNullOrEmpty
    }

    It 'Get with an invalid Status is a parameter binding error' {
        { Get-RelayMessage -Status Bounced -Path $store } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'Get by Id returns messages in the order given and an error for an unknown id' {
        $a = New-OutboxMessage -Store $store -Subject a
        $b = New-OutboxMessage -Store $store -Subject b

        $r = @(Get-RelayMessage -Id $b, 9999, $a -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $r.Id | Should -Be @($b, $a)
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageNotFound,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 9999
    }

    It 'Get by Id with another Status returns nothing and no error' {
        $sent = New-OutboxMessage -Store $store -Subject done -State Sent

        $r = @(Get-RelayMessage -Id $sent -Status Queued -Path $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 0
    }

    It 'Get on a store that does not exist returns nothing and creates no file' {
        $r = @(Get-RelayMessage -Path $store -ErrorAction Stop)

        $r | Should -HaveCount 0
        [System.IO.File]::Exists($store) | Should -BeFalse
    }

    It 'Stop cancels a queued message' {
        $id = New-OutboxMessage -Store $store -Subject 'cancel me'

        $r = @(Stop-RelayMessage -Id $id -PassThru -Path $store -ErrorAction Stop)

        $r | Should -HaveCount 1
        $r[0].Status.ToString() | Should -BeExactly 'Cancelled'
        Get-Status $store $id | Should -BeExactly 'Cancelled'
    }

    It 'Get piped to Stop cancels every waiting message and leaves the sent one' {
        $queued = New-OutboxMessage -Store $store -Subject q
        $deferred = New-OutboxMessage -Store $store -Subject d -State Deferred
        $sent = New-OutboxMessage -Store $store -Subject s -State Sent

        $r = @(Get-RelayMessage -Path $store -Status Queued, Deferred | Stop-RelayMessage -Path $store -ErrorAction Stop)

        $r | Should -HaveCount 0
        Get-Status $store $queued | Should -BeExactly 'Cancelled'
        Get-Status $store $deferred | Should -BeExactly 'Cancelled'
        Get-Status $store $sent | Should -BeExactly 'Sent'
    }

    It 'Csv rows with an Id column cancel those messages' {
        $a = New-OutboxMessage -Store $store -Subject a
        $b = New-OutboxMessage -Store $store -Subject b
        $c = New-OutboxMessage -Store $store -Subject c

        @([pscustomobject]@{ Id = "$a" }, [pscustomobject]@{ Id = "$c" }) | Stop-RelayMessage -Path $store -ErrorAction Stop

        Get-Status $store $a | Should -BeExactly 'Cancelled'
        Get-Status $store $b | Should -BeExactly 'Queued'
        Get-Status $store $c | Should -BeExactly 'Cancelled'
    }

    It 'Stop on a sent message is NotCancellable and the other ids go on' {
        $sent = New-OutboxMessage -Store $store -Subject s -State Sent
        $queued = New-OutboxMessage -Store $store -Subject q

        Stop-RelayMessage -Id $sent, $queued -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageNotCancellable,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidOperation'
        $err[0].TargetObject | Should -Be $sent
        $err[0].Exception.Message | Should -BeLike '*Sent*'
        Get-Status $store $sent | Should -BeExactly 'Sent'
        Get-Status $store $queued | Should -BeExactly 'Cancelled'
    }

    It 'Stop on an unknown id is RelayMessageNotFound' {
        $null = New-OutboxMessage -Store $store -Subject q

        Stop-RelayMessage -Id 4242 -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageNotFound,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 4242
    }

    It 'Stop WhatIf cancels nothing' {
        $id = New-OutboxMessage -Store $store -Subject q

        Stop-RelayMessage -Id $id -WhatIf -Path $store -ErrorAction Stop

        Get-Status $store $id | Should -BeExactly 'Queued'
    }

    It 'Save writes the mime byte for byte' {
        $subject = "Rechnung Gr$([char]0xFC)$([char]0xDF)e"
        $id = New-OutboxMessage -Store $store -Subject $subject
        $eml = [System.IO.Path]::Combine($folder, 'out.eml')

        $r = @(Save-RelayMessage -Id $id -Destination $eml -PassThru -Path $store -ErrorAction Stop)

        $r[0].FullName | Should -BeExactly $eml
        Test-SameBytes (Get-TestMime $subject) $eml | Should -BeTrue
    }

    It 'Get piped to Save with a folder writes one file per message named by id' {
        $a = New-OutboxMessage -Store $store -Subject a -State Failed
        $b = New-OutboxMessage -Store $store -Subject b -State Failed
        $exports = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($folder, 'exports')).FullName

        Get-RelayMessage -Path $store -Status Failed | Save-RelayMessage -Path $store -OutFile $exports -ErrorAction Stop

        Test-SameBytes (Get-TestMime a) ([System.IO.Path]::Combine($exports, "relay-message-$a.eml")) | Should -BeTrue
        Test-SameBytes (Get-TestMime b) ([System.IO.Path]::Combine($exports, "relay-message-$b.eml")) | Should -BeTrue
        [System.IO.Directory]::GetFiles($exports) | Should -HaveCount 2
    }

    It 'Save replaces an existing file whole and leaves no temporary file' {
        $id = New-OutboxMessage -Store $store -Subject new
        $eml = [System.IO.Path]::Combine($folder, 'out.eml')
        [System.IO.File]::WriteAllText($eml, ('x' * 10000))

        Save-RelayMessage -Id $id -Destination $eml -Path $store -ErrorAction Stop

        Test-SameBytes (Get-TestMime new) $eml | Should -BeTrue
        @([System.IO.Directory]::GetFiles($folder) | ForEach-Object { [System.IO.Path]::GetFileName($_) } | Where-Object { $_ -notlike 'mailops.db-*' } | Sort-Object) |
            Should -Be @('mailops.db', 'out.eml')
    }

    It 'Save NoClobber keeps an existing file and says so' {
        $id = New-OutboxMessage -Store $store -Subject new
        $eml = [System.IO.Path]::Combine($folder, 'keep.eml')
        [System.IO.File]::WriteAllText($eml, 'old')

        Save-RelayMessage -Id $id -Destination $eml -NoClobber -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageSaveFailed,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ResourceExists'
        $err[0].TargetObject | Should -BeExactly $eml
        [System.IO.File]::ReadAllText($eml) | Should -BeExactly 'old'
    }

    It 'Save WhatIf writes no file' {
        $id = New-OutboxMessage -Store $store -Subject x
        $eml = [System.IO.Path]::Combine($folder, 'never.eml')

        Save-RelayMessage -Id $id -Destination $eml -WhatIf -Path $store -ErrorAction Stop

        [System.IO.File]::Exists($eml) | Should -BeFalse
    }

    It 'Save of an unknown id is RelayMessageNotFound and writes no file' {
        $null = New-OutboxMessage -Store $store -Subject x
        $eml = [System.IO.Path]::Combine($folder, 'missing.eml')

        Save-RelayMessage -Id 31337 -Destination $eml -Path $store -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RelayMessageNotFound,*'
        $err[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 31337
        [System.IO.File]::Exists($eml) | Should -BeFalse
    }

    It 'Cmdlets that change state support WhatIf and Get declares its output type' {
        (Get-Command Save-RelayMessage).Parameters.ContainsKey('WhatIf') | Should -BeTrue
        (Get-Command Stop-RelayMessage).Parameters.ContainsKey('WhatIf') | Should -BeTrue
        (Get-Command Get-RelayMessage).OutputType[0].Name | Should -BeExactly 'MailOps.Core.Relay.RelayMessage'
    }
}

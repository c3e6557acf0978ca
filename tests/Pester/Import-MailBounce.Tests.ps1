# Mirrors tests/MailOps.PowerShell.Tests/BounceImportTests.cs in Pester 5: Import-MailBounce
# through real pwsh over copies of the samples in tests/Conformance/bounces (the folder of
# BounceFixture.cs is built in $TestDrive below). No DNS server is needed.
# Needs `dotnet build MailOps.sln -c Release` first.

Describe 'Import-MailBounce' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        # The folder of BounceFixture.cs: every sample, a 'set' of three bounce files and a
        # text file, and a copy whose name holds wildcard characters.
        $samples = [System.IO.Path]::Combine((Get-MailOpsRepositoryRoot), 'tests', 'Conformance', 'bounces')
        $folder = [System.IO.Path]::Combine($TestDrive, 'bounces')
        $set = [System.IO.Path]::Combine($folder, 'set')
        $null = [System.IO.Directory]::CreateDirectory($set)
        foreach ($file in [System.IO.Directory]::GetFiles($samples)) {
            [System.IO.File]::Copy($file, [System.IO.Path]::Combine($folder, [System.IO.Path]::GetFileName($file)))
        }

        foreach ($name in 'exim-permanent.eml', 'gmail-address-not-found.eml', 'mailbox-full.eml') {
            [System.IO.File]::Copy([System.IO.Path]::Combine($samples, $name), [System.IO.Path]::Combine($set, $name))
        }

        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($set, 'notes.txt'), 'not a bounce')
        [System.IO.File]::Copy([System.IO.Path]::Combine($samples, 'postfix-user-unknown.eml'), [System.IO.Path]::Combine($folder, 'bounce[1].eml'))

        function Get-Sample([string] $Name) { [System.IO.Path]::Combine($folder, $Name) }

        function New-StorePath {
            [System.IO.Path]::Combine($TestDrive, 'store-' + [guid]::NewGuid().ToString('N'), 'mailops.db')
        }

        function Get-ErrorId([object[]] $Errors) {
            @($Errors | ForEach-Object { ([string] $_.FullyQualifiedErrorId).Split(',')[0] })
        }
    }

    It 'Postfix report gives one typed row with the fields of the report' {
        $b = @(Import-MailBounce -Path (Get-Sample 'postfix-user-unknown.eml') -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $b | Should -HaveCount 1
        $b[0].PSObject.TypeNames | Should -Contain 'MailOps.Core.Bounces.MailBounce'
        $b[0].Recipient | Should -BeExactly 'nobody@fabrikam.example'
        $b[0].Domain | Should -BeExactly 'fabrikam.example'
        [string] $b[0].Action | Should -BeExactly 'Failed'
        $b[0].Status | Should -BeExactly '5.1.1'
        [string] $b[0].Kind | Should -BeExactly 'HardBounce'
        $b[0].DiagnosticCode | Should -BeExactly 'smtp; 550 5.1.1 <nobody@fabrikam.example>: Recipient address rejected: User unknown in virtual mailbox table'
        $b[0].RemoteMta | Should -BeExactly 'mx1.fabrikam.example'
        $b[0].ReportingMta | Should -BeExactly 'mail.contoso.example'
        $b[0].OriginalMessageId | Should -BeExactly '<news-2025-01.4711@contoso.example>'
        $b[0].Subject | Should -BeExactly 'Your January newsletter'
        $b[0].File | Should -BeExactly (Get-Sample 'postfix-user-unknown.eml')
    }

    It 'Wildcard reads every matching file in name order' {
        $r = @(Import-MailBounce -Path ([System.IO.Path]::Combine($set, '*.eml')) -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r.Recipient | Should -BeExactly @('ghost@fabrikam.example', 'buyer@gone.example', 'nobody@fabrikam.example', 'full.box@northwind.example')
        @($r | ForEach-Object { [string] $_.Format }) | Should -BeExactly @('Exim', 'Exim', 'Gmail', 'Dsn')
    }

    It 'Broken file is an InvalidMessageFile error and the other files are still read' {
        $r = @(Import-MailBounce -Path (Get-Sample 'garbage.eml'), (Get-Sample 'truncated-report.eml'), (Get-Sample 'mailbox-full.eml') -ErrorVariable err -ErrorAction SilentlyContinue)

        Get-ErrorId $err | Should -BeExactly @('InvalidMessageFile', 'InvalidMessageFile')
        $err | ForEach-Object { [string] $_.CategoryInfo.Category | Should -BeExactly 'InvalidData' }
        $err[0].TargetObject | Should -BeExactly (Get-Sample 'garbage.eml')
        $r | Should -HaveCount 1
        [string] $r[0].Kind | Should -BeExactly 'MailboxFull'
    }

    It 'Single message that is not a bounce is a NotABounce error' {
        $r = @(Import-MailBounce -Path (Get-Sample 'not-a-bounce-auto-reply.eml') -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'NotABounce,MailOps.Commands.ImportMailBounceCommand'
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'InvalidData'
        $err[0].TargetObject | Should -BeExactly (Get-Sample 'not-a-bounce-auto-reply.eml')
    }

    It 'Mbox skips its ordinary message with a verbose line and no error' {
        $verbose = Import-MailBounce -Path (Get-Sample 'bounces-mixed.mbox') -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1
        $rows = @($verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $lines = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $err | Should -HaveCount 0
        $rows | Should -HaveCount 4
        @($rows | ForEach-Object MessageNumber) | Should -Be @(1, 3, 3, 4)
        @($lines | Where-Object { $_ -like '*message 2 (Lunch on Friday?) skipped*' }) | Should -HaveCount 1
    }

    It 'Missing file is BounceFileNotFound and the rest continue' {
        $r = @(Import-MailBounce -Path (Get-Sample 'no-such-file.eml'), (Get-Sample 'dns-failure.eml') -ErrorVariable err -ErrorAction SilentlyContinue)

        Get-ErrorId $err | Should -BeExactly @('BounceFileNotFound')
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'ObjectNotFound'
        $r | Should -HaveCount 1
        [string] $r[0].Kind | Should -BeExactly 'DnsFailure'
    }

    It 'Wildcard that matches nothing is BounceFileNotFound' {
        $r = @(Import-MailBounce -Path ([System.IO.Path]::Combine($set, '*.msg')) -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        Get-ErrorId $err | Should -BeExactly @('BounceFileNotFound')
    }

    It 'Folder is BouncePathNotFile' {
        $r = @(Import-MailBounce -Path $set -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        Get-ErrorId $err | Should -BeExactly @('BouncePathNotFile')
        [string] $err[0].CategoryInfo.Category | Should -BeExactly 'InvalidArgument'
    }

    It 'LiteralPath reads a name with wildcard characters as it is' {
        $r = @(Import-MailBounce -LiteralPath (Get-Sample 'bounce[1].eml'))

        $r | Should -HaveCount 1
        $r[0].Recipient | Should -BeExactly 'nobody@fabrikam.example'
    }

    It 'FileInfo objects from the pipeline bind by FullName' {
        $r = @([System.IO.DirectoryInfo]::new($set).GetFiles('*.eml') | Import-MailBounce -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 4
        @($r.File | Select-Object -Unique) | Should -HaveCount 3
    }

    It 'Rows with a PSPath column bind to LiteralPath' {
        $r = @([pscustomobject]@{ PSPath = (Get-Sample 'bounce[1].eml') } | Import-MailBounce)

        $r | Should -HaveCount 1
        $r[0].Recipient | Should -BeExactly 'nobody@fabrikam.example'
    }

    It 'Recipients pipe into a filter on Kind' {
        $r = @(Import-MailBounce -Path (Get-Sample 'bounces-mixed.mbox') | Where-Object Kind -eq 'HardBounce' | ForEach-Object Recipient)

        $r | Should -BeExactly @('nobody@fabrikam.example', 'nobody@fabrikam.example')
    }

    It 'AddToSuppression with WhatIf writes nothing and still returns the rows' {
        $store = New-StorePath

        $r = @(Import-MailBounce -Path (Get-Sample 'bounces-mixed.mbox') -AddToSuppression -StorePath $store -WhatIf)

        $r | Should -HaveCount 4
        [System.IO.File]::Exists($store) | Should -BeFalse
        [System.IO.Directory]::Exists([System.IO.Path]::GetDirectoryName($store)) | Should -BeFalse
    }

    It 'AddToSuppression adds only the hard bounces by default' {
        $store = New-StorePath

        $out = Import-MailBounce -Path (Get-Sample 'bounces-mixed.mbox') -AddToSuppression -StorePath $store -Verbose 4>&1
        $rows = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $added = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message | Where-Object { $_.StartsWith('Added ') })

        $rows | Should -HaveCount 4
        [System.IO.File]::Exists($store) | Should -BeTrue
        $added | Should -BeExactly @('Added nobody@fabrikam.example on the suppression list (reason: HardBounce).')
    }

    It 'Suppressed hard bounce is stored with its kind as reason and its file as source' {
        $store = New-StorePath

        $null = Import-MailBounce -Path (Get-Sample 'bounces-mixed.mbox') -AddToSuppression -StorePath $store
        $entries = @(Get-MailSuppression -Path $store)

        $entries | Should -HaveCount 1
        $entries[0].Address | Should -BeExactly 'nobody@fabrikam.example'
        $entries[0].Reason | Should -BeExactly 'HardBounce'
        $entries[0].Source | Should -BeExactly (Get-Sample 'bounces-mixed.mbox')
        $entries[0].ExpiresAt | Should -BeNullOrEmpty
    }

    It 'Kind chooses which kinds go on the suppression list' {
        $store = New-StorePath

        $out = Import-MailBounce -Path (Get-Sample 'bounces-mixed.mbox') -AddToSuppression -Kind HardBounce, MailboxFull -StorePath $store -Verbose 4>&1
        $added = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message | Where-Object { $_.StartsWith('Added ') })

        $added | Should -BeExactly @(
            'Added nobody@fabrikam.example on the suppression list (reason: HardBounce).'
            'Added full.box@northwind.example on the suppression list (reason: MailboxFull).'
        )
    }

    It 'Adding the same bounce again later updates the entry' {
        $store = New-StorePath

        $null = Import-MailBounce -Path (Get-Sample 'postfix-user-unknown.eml') -AddToSuppression -StorePath $store
        $out = Import-MailBounce -Path (Get-Sample 'postfix-user-unknown.eml') -AddToSuppression -StorePath $store -Verbose 4>&1
        $lines = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $lines | Should -Contain 'Updated nobody@fabrikam.example on the suppression list (reason: HardBounce).'
    }
}

# Mirrors tests/MailOps.PowerShell.Tests/ModuleTests.cs in Pester 5: the staged module as a user
# imports it (manifest, exports, formats and help).
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps); ./build.ps1 -Test runs
# this folder when Pester 5 is installed. Only the staged module is needed here, no DNS server.

BeforeDiscovery {
    $cmdletCases = @(
        @{ CommandName = 'Get-SpfRecord' }
        @{ CommandName = 'New-SpfInclude' }
        @{ CommandName = 'Test-SpfRecord' }
    )
}

Describe 'MailOps module' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        $manifestPath = Get-MailOpsModuleManifest
        $moduleDirectory = [System.IO.Path]::GetDirectoryName($manifestPath)
    }

    It 'Module exports exactly the documented cmdlets' {
        $names = [string[]] @((Get-Module MailOps).ExportedCmdlets.Keys)
        [System.Array]::Sort($names, [System.StringComparer]::Ordinal)

        $names | Should -BeExactly @('Get-SpfRecord', 'New-SpfInclude', 'Test-SpfRecord')
    }

    It 'Staged manifest carries the version from Directory.Build.props' {
        $props = [System.IO.File]::ReadAllText([System.IO.Path]::Combine((Get-MailOpsRepositoryRoot), 'Directory.Build.props'))
        $expected = [regex]::Match($props, '<Version>([^<]+)</Version>').Groups[1].Value

        $version = (Get-Module MailOps).Version.ToString()

        $expected | Should -Not -BeNullOrEmpty
        $version | Should -BeExactly $expected
    }

    It 'Manifest exports no functions, aliases or variables' {
        $m = Get-Module MailOps

        $m.ExportedFunctions.Count + $m.ExportedAliases.Count + $m.ExportedVariables.Count | Should -Be 0
    }

    It 'Format file is loaded with the module' {
        $files = @((Get-Module MailOps).ExportedFormatFiles | ForEach-Object { [System.IO.Path]::GetFileName($_) })

        $files | Should -Contain 'MailOps.format.ps1xml'
    }

    It 'Every output type has a table view' {
        $format = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($moduleDirectory, 'MailOps.format.ps1xml'))
        $outputTypes = @(Get-Command -Module MailOps |
                ForEach-Object { $_.OutputType.Name } |
                Where-Object { $_ -ne 'System.Boolean' } |
                Select-Object -Unique)

        $outputTypes | Should -Not -BeNullOrEmpty
        foreach ($type in $outputTypes) {
            $format.Contains("<TypeName>$type</TypeName>") | Should -BeTrue -Because "MailOps.format.ps1xml should have a view for $type"
        }
    }

    It 'Help has synopsis, description and two examples (<CommandName>)' -ForEach $cmdletCases {
        $help = Get-Help -Name $CommandName -Full

        $synopsis = [string] $help.Synopsis
        [string]::IsNullOrWhiteSpace($synopsis) | Should -BeFalse -Because "$CommandName needs a synopsis"
        # Not the auto-generated syntax stub ("Test-SpfRecord [-Domain] <string> ...").
        ($synopsis.Trim() + ' ').Contains("$CommandName ") | Should -BeFalse -Because "the synopsis of $CommandName is '$synopsis'"
        $description = (Get-Help -Name $CommandName -Full).Description.Text -join ''
        $description.Length | Should -BeGreaterThan 40 -Because "description too short: $description"
        @((Get-Help -Name $CommandName -Full).Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'Help documents every parameter (<CommandName>)' -ForEach $cmdletCases {
        $declared = @((Get-Command -Name $CommandName).Parameters.Values |
                Where-Object {
                    $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and
                    $_.Name -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters -and
                    -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow })
                } |
                ForEach-Object { $_.Name })
        $documented = @((Get-Help -Name $CommandName -Full).Parameters.Parameter |
                Where-Object { ($_.Description.Text -join '').Length -gt 10 } |
                ForEach-Object { $_.Name })

        $declared | Should -Not -BeNullOrEmpty
        $undocumented = @($declared | Where-Object { $documented -cnotcontains $_ })
        $undocumented | Should -BeNullOrEmpty -Because "every parameter of $CommandName that is not DontShow needs help text (documented: $($documented -join ', '))"
    }

    It 'About topic documents the finding codes' {
        $about = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($moduleDirectory, 'en-US', 'about_MailOps.help.txt'))

        foreach ($code in 'SpfTooManyLookups', 'SpfMultipleRecords', 'InvalidDomainName') {
            $about.Contains($code) | Should -BeTrue -Because "about_MailOps.help.txt should document $code"
        }
    }

    It 'About topic documents every finding code the engine can emit' {
        $about = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($moduleDirectory, 'en-US', 'about_MailOps.help.txt'))
        $findingCodes = (Get-Command -Name Get-SpfRecord).OutputType[0].Type.Assembly.GetType('MailOps.Core.Spf.SpfFindingCodes')
        $codes = @($findingCodes.GetFields() | ForEach-Object { [string] $_.GetValue($null) })

        $codes.Count | Should -BeGreaterOrEqual 20 -Because "expected the SPF finding codes, got $($codes.Count)"
        $undocumented = @($codes | Where-Object { -not $about.Contains($_) })
        $undocumented | Should -BeNullOrEmpty -Because 'about_MailOps.help.txt should document every finding code'
    }

    It 'About topic documents every error id' {
        $about = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($moduleDirectory, 'en-US', 'about_MailOps.help.txt'))
        $ids = @([MailOps.ErrorIds].GetFields() | ForEach-Object { [string] $_.GetValue($null) })

        $ids | Should -Not -BeNullOrEmpty
        $undocumented = @($ids | Where-Object { -not $about.Contains($_) })
        $undocumented | Should -BeNullOrEmpty -Because 'about_MailOps.help.txt should document every ErrorId'
    }
}

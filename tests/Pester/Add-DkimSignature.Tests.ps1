# Mirrors tests/MailOps.PowerShell.Tests/DkimSignTests.cs in Pester 5: Add-DkimSignature through
# real pwsh, with the keys, message and zone of DkimSignFixture.cs (built below). Signatures are
# checked by dkimpy (tests/MailOps.TestSupport/Smtp/dkim_verify.py through
# [MailOps.TestSupport.Smtp.DkimPythonVerifier], needs python3-dkim) and by Test-MailMessage
# against a real DNS server on loopback.
# Needs `dotnet build MailOps.sln -c Release` first (it stages out/MailOps and builds
# MailOps.TestSupport); needs pwsh on .NET 10 or later (PowerShell 7.6+).

Describe 'Add-DkimSignature' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        $root = Get-MailOpsRepositoryRoot
        $dkimData = [System.IO.Path]::Combine($root, 'tests', 'Conformance', 'dkim')

        $ed25519Record = 'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $rsaRecord = 'v=DKIM1; k=rsa; p=' + [System.Convert]::ToBase64String($rsa.ExportSubjectPublicKeyInfo())
        $rsaName = 's2048._domainkey.contoso.example'

        # The zone of DkimSignFixture.cs. Every Add* returns the zone (fluent); $null = discards it.
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddLongTxt($rsaName, $rsaRecord)
        $null = $zone.AddTxt('contoso.example', [string[]] @('v=spf1 ip4:198.51.100.0/24 -all'))
        $null = $zone.AddTxt('_dmarc.contoso.example', [string[]] @('v=DMARC1; p=reject'))
        $null = $zone.AddTxt('brisbane._domainkey.football.example.com', [string[]] @($ed25519Record))
        $server = New-TestDnsServer -Zone $zone
        $dns = $server.Endpoint

        $folder = [System.IO.Directory]::CreateTempSubdirectory('MailOpsDkimSign-').FullName
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, 'rsa.pem'), $rsa.ExportRSAPrivateKeyPem())
        [System.IO.File]::Copy([System.IO.Path]::Combine($dkimData, 'rfc8032_7_1.key'), [System.IO.Path]::Combine($folder, 'ed25519.key'))
        $weak = [System.Security.Cryptography.RSA]::Create(512)
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, 'weak.pem'), $weak.ExportRSAPrivateKeyPem())
        $weak.Dispose()
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, 'not-a-key.pem'), "this is not a key`n")

        $crlf = "`r`n"
        $message = "From: Invoices <invoices@contoso.example>${crlf}To: customer@fabrikam.example${crlf}Subject: Invoice 2025-0042${crlf}  for June${crlf}" +
            "Date: Sun, 1 Jun 2025 10:00:00 +0000${crlf}Message-ID: <inv-42@contoso.example>${crlf}MIME-Version: 1.0${crlf}" +
            "Content-Type: text/plain; charset=utf-8${crlf}${crlf}Dear customer,   ${crlf}${crlf}your invoice is attached.${crlf}"
        $unsigned = [System.IO.Path]::Combine($folder, 'unsigned.eml')
        [System.IO.File]::WriteAllText($unsigned, $message)

        function New-OutputFolder {
            [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($folder, [guid]::NewGuid().ToString('N'))).FullName
        }

        function Test-Dkimpy {
            param([string] $Path, [string] $Record, [string] $Name)
            [MailOps.TestSupport.Smtp.DkimPythonVerifier]::Verify([System.IO.File]::ReadAllBytes($Path), $Record, $Name).Ok
        }

        $common = @{ Path = $unsigned; Domain = 'contoso.example'; Selector = 's2048'; KeyPath = [System.IO.Path]::Combine($folder, 'rsa.pem') }
    }

    AfterAll {
        if ($server) { $server.Dispose() }
        if ($rsa) { $rsa.Dispose() }
        if ($folder -and [System.IO.Directory]::Exists($folder)) { [System.IO.Directory]::Delete($folder, $true) }
    }

    It 'signs rsa-sha256 relaxed/relaxed by default and dkimpy verifies it' {
        $destination = [System.IO.Path]::Combine((New-OutputFolder), 'signed.eml')

        $result = Add-DkimSignature @common -Destination $destination

        $result.PSObject.TypeNames[0] | Should -Be 'MailOps.Core.Relay.Signing.DkimSigningResult'
        $result.Path | Should -Be $destination
        $result.SourcePath | Should -Be $unsigned
        $result.Algorithm | Should -Be 'rsa-sha256'
        $result.Canonicalization | Should -Be 'relaxed/relaxed'
        $result.KeySize | Should -Be 2048
        Test-Dkimpy $destination $rsaRecord $rsaName | Should -BeTrue
    }

    It 'signs ed25519-sha256 with a raw seed key and dkimpy verifies it' {
        $destination = [System.IO.Path]::Combine((New-OutputFolder), 'signed.eml')

        $result = Add-DkimSignature -Path $unsigned -Destination $destination -Domain football.example.com -Selector brisbane -KeyPath ([System.IO.Path]::Combine($folder, 'ed25519.key'))

        $result.Algorithm | Should -Be 'ed25519-sha256'
        Test-Dkimpy $destination $ed25519Record 'brisbane._domainkey.football.example.com' | Should -BeTrue
    }

    It 'signs simple/simple when asked and dkimpy verifies it' {
        $destination = [System.IO.Path]::Combine((New-OutputFolder), 'signed.eml')

        $result = Add-DkimSignature @common -Destination $destination -HeaderCanonicalization simple -BodyCanonicalization simple

        $result.Canonicalization | Should -Be 'simple/simple'
        Test-Dkimpy $destination $rsaRecord $rsaName | Should -BeTrue
    }

    It 'passes Test-MailMessage dkim and dmarc against the published key when piped' {
        $out = New-OutputFolder

        $verdict = Add-DkimSignature @common -Destination "$out/signed.eml" | Test-MailMessage -Server $dns

        $dkim = @($verdict.Dkim)
        $dkim.Count | Should -Be 1
        $dkim[0].Result | Should -Be 'Pass'
        $dkim[0].Domain | Should -Be 'contoso.example'
        $dkim[0].Selector | Should -Be 's2048'
        $verdict.DkimResult | Should -Be 'Pass'
        $verdict.DmarcResult | Should -Be 'Pass'
    }

    It 'fails Test-MailMessage and dkimpy when the message is altered after signing' {
        $destination = [System.IO.Path]::Combine((New-OutputFolder), 'signed.eml')
        $null = Add-DkimSignature @common -Destination $destination
        [System.IO.File]::WriteAllText($destination, [System.IO.File]::ReadAllText($destination).Replace('your invoice is attached.', 'pay to IBAN XX00 0000.'))

        $dkim = @((Test-MailMessage -Path $destination -Server $dns).Dkim)[0]

        $dkim.Result | Should -Be 'Fail'
        $dkim.Error | Should -BeLike 'body hash mismatch*'
        Test-Dkimpy $destination $rsaRecord $rsaName | Should -BeFalse
    }

    It 'refuses a 512-bit key with DkimKeyTooWeak and writes nothing' {
        $out = New-OutputFolder

        $thrown = { Add-DkimSignature @common -Destination "$out/signed.eml" -KeyPath ([System.IO.Path]::Combine($folder, 'weak.pem')) } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'DkimKeyTooWeak,*'
        $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        [System.IO.Directory]::GetFiles($out).Count | Should -Be 0
    }

    It 'reports a missing key file as DkimKeyFileNotFound' {
        $thrown = { Add-DkimSignature @common -Destination "$(New-OutputFolder)/signed.eml" -KeyPath ([System.IO.Path]::Combine($folder, 'missing.pem')) } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'DkimKeyFileNotFound,*'
    }

    It 'reports a file that is no key as InvalidDkimSigningKey' {
        $thrown = { Add-DkimSignature @common -Destination "$(New-OutputFolder)/signed.eml" -KeyPath ([System.IO.Path]::Combine($folder, 'not-a-key.pem')) } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidDkimSigningKey,*'
    }

    It 'reports ed25519-sha256 with an rsa key as DkimKeyAlgorithmMismatch' {
        $thrown = { Add-DkimSignature @common -Destination "$(New-OutputFolder)/signed.eml" -Algorithm ed25519-sha256 } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'DkimKeyAlgorithmMismatch,*'
    }

    It 'reports an invalid signing domain as InvalidDomainName' {
        $thrown = { Add-DkimSignature @common -Destination "$(New-OutputFolder)/signed.eml" -Domain 'not a domain' } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
    }

    It 'writes nothing with -WhatIf' {
        $out = New-OutputFolder

        $result = Add-DkimSignature @common -Destination "$out/signed.eml" -WhatIf

        $result | Should -BeNullOrEmpty
        [System.IO.Directory]::GetFiles($out).Count | Should -Be 0
    }

    It 'refuses an existing destination without -Force and keeps the file' {
        $destination = [System.IO.Path]::Combine((New-OutputFolder), 'signed.eml')
        [System.IO.File]::WriteAllText($destination, 'keep me')

        $null = Add-DkimSignature @common -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable failed

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'DkimDestinationExists,MailOps.Commands.AddDkimSignatureCommand'
        [System.IO.File]::ReadAllText($destination) | Should -Be 'keep me'
    }

    It 'replaces an existing destination with -Force' {
        $destination = [System.IO.Path]::Combine((New-OutputFolder), 'signed.eml')
        [System.IO.File]::WriteAllText($destination, 'old')

        $null = Add-DkimSignature @common -Destination $destination -Force

        Test-Dkimpy $destination $rsaRecord $rsaName | Should -BeTrue
    }

    It 'signs piped rows into a folder keeping file names, and a missing file does not stop the others' {
        $out = New-OutputFolder
        $rows = @([pscustomobject]@{ FullName = "$folder/missing.eml" }, [pscustomobject]@{ FullName = $unsigned })

        $results = @($rows | Add-DkimSignature -Destination $out -Domain contoso.example -Selector s2048 -KeyPath ([System.IO.Path]::Combine($folder, 'rsa.pem')) -ErrorAction SilentlyContinue -ErrorVariable failed)

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'MessageFileNotFound,MailOps.Commands.AddDkimSignatureCommand'
        $results.Count | Should -Be 1
        $results[0].Path | Should -Be ([System.IO.Path]::Combine($out, 'unsigned.eml'))
        Test-Dkimpy $results[0].Path $rsaRecord $rsaName | Should -BeTrue
    }

    It 'signs an explicit header list with from added' {
        $result = Add-DkimSignature @common -Destination "$(New-OutputFolder)/signed.eml" -Headers Subject, To

        $result.SignedHeaders | Should -Be @('from', 'subject', 'to')
    }

    It 'writes the key record to publish in the verbose stream' {
        $verbose = Add-DkimSignature @common -Destination "$(New-OutputFolder)/signed.eml" -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        @($verbose | Where-Object { $_.Message.Contains($rsaName) -and $_.Message.Contains($rsaRecord) }).Count | Should -Be 1
    }
}

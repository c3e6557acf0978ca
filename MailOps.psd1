#
# MailOps module manifest. ModuleVersion is a placeholder: the build stamps the version from
# Directory.Build.props into out/MailOps/MailOps.psd1, the manifest that users import.
#
@{
    RootModule           = 'MailOps.dll'
    ModuleVersion = '0.0.0'
    GUID                 = '5d2b6a0e-8f3c-4c57-9a4e-2b1f7c9d6e31'
    Author               = 'MailOps'
    CompanyName          = 'MailOps'
    Copyright            = '(c) MailOps contributors.'
    Description          = 'E-mail deliverability from PowerShell: RFC 7208 SPF evaluation, SPF record authoring, DNS audits and SMTP relay tools, as compiled cmdlets that return typed objects.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('MailOps.format.ps1xml')
    CmdletsToExport      = @(
        'Add-DkimSignature'
        'Add-MailSuppression'
        'Export-MailReport'
        'Get-BimiRecord'
        'Get-DkimRecord'
        'Get-DmarcPolicy'
        'Get-MailSuppression'
        'Get-MtaStsPolicy'
        'Get-MxRecord'
        'Get-RelayDefault'
        'Get-RelayMessage'
        'Get-RelayRoute'
        'Get-RelayServer'
        'Get-SpfIpRange'
        'Get-SpfRecord'
        'Get-TlsRptRecord'
        'Import-DmarcReport'
        'Import-MailBounce'
        'Import-TlsRptReport'
        'Invoke-RelayQueue'
        'New-DmarcRecord'
        'New-SpfInclude'
        'Register-RelayServer'
        'Remove-MailSuppression'
        'Save-RelayMessage'
        'Send-RelayMail'
        'Set-RelayDefault'
        'Set-RelayServer'
        'Stop-RelayMessage'
        'Test-DnsBlocklist'
        'Test-EmailAddress'
        'Test-MailDomain'
        'Test-MailMessage'
        'Test-SmtpServer'
        'Test-SpfRecord'
        'Unregister-RelayServer'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('SPF', 'DMARC', 'DKIM', 'Email', 'SMTP', 'DNS', 'Deliverability', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'Foundation: Get-SpfRecord, Test-SpfRecord, New-SpfInclude.'
        }
    }
}

import { htmlToText, renderMail } from '../../lib/mailTemplates';

describe('mail templates', () => {
  it('renders the subject from front matter and escapes data in the body', () => {
    const m = renderMail('demo-case-opened', {
      caseId: 'demo/1',
      message: '<b>粉尘</b> & 温度',
      caseUrl: 'http://x/demo/1',
    });
    expect(m.subject).toBe('【warnflow】演示案件已创建 / Demo case opened: demo/1');
    expect(m.html).toContain('&lt;b&gt;粉尘&lt;/b&gt; &amp; 温度');
    expect(m.text).toContain('内容：<b>粉尘</b> & 温度');
  });

  it('refuses a template name that could leave the mail folder', () => {
    expect(() => renderMail('../layouts/main', {})).toThrow('bad mail template name');
  });

  it('turns paragraphs into lines for the text part', () => {
    expect(htmlToText('<p>a</p><p>b<br>c</p>')).toBe('a\nb\nc');
  });
});

import { parseQuotedDate } from '../src/inputs/mailDates.js';
import { stripSubjectPrefixes } from '../src/inputs/subjectPrefixes.js';
import { createPortal, startTestRelay, type TestRelay } from './helpers.js';

// Inline forwards written by Outlook and Gmail in Japanese, Chinese, Korean and Russian: their
// header blocks ("差出人/送信日時/宛先/件名", "发件人/发送时间/收件人/主题", "보낸 사람/보낸 날짜/받는
// 사람/제목", "От/Отправлено/Кому/Тема") and dates ("2026年11月30日 17:15", "2026년 11월 30일
// 월요일 오후 5:15") were not recognised: the forward was read as a notice of its own, dated when
// it was forwarded, with the forward's "转发:" left in its title, and the same notice sent
// straight to the relay became a second change.

const SUBJECT = 'Your HubSpot-Salesforce integration has been suspended';

describe('forward prefixes and quoted dates in more languages', () => {
  test.each([
    ['转发: ', 'zh-CN'],
    ['轉寄：', 'zh-TW'],
    ['전달: ', 'ko'],
    ['Пересл: ', 'ru'],
    ['FW: 答复: ', 'zh-CN reply forwarded'],
  ])('"%s" (%s) is taken off the subject', (prefix) => {
    expect(stripSubjectPrefixes(`${prefix}${SUBJECT}`)).toBe(SUBJECT);
  });

  test.each([
    ['2026年11月30日 17:15', 9 * 60],
    ['2026年11月30日(月) 17:15', 9 * 60],
    ['2026年11月30日 下午4:15', 8 * 60],
    ['2026년 11월 30일 월요일 오후 5:15', 9 * 60],
    ['2026年11月30日 午後5:15', 9 * 60],
  ])('"%s" is read in the forward\'s zone', (quoted, offset) => {
    expect(parseQuotedDate(quoted, offset)?.date.toISOString()).toBe('2026-11-30T08:15:00.000Z');
  });

  test('Russian month names, as Outlook writes them (genitive, "май" with its "й")', () => {
    expect(parseQuotedDate('30 ноября 2026 г. 11:15', 180)?.date.toISOString()).toBe(
      '2026-11-30T08:15:00.000Z',
    );
    expect(parseQuotedDate('понедельник, 4 мая 2026 г. 11:15', 180)?.date.toISOString()).toBe(
      '2026-05-04T08:15:00.000Z',
    );
    expect(parseQuotedDate('1 май 2026 11:15', 180)?.date.toISOString()).toBe(
      '2026-05-01T08:15:00.000Z',
    );
  });
});

describe('an inline forward from Outlook in Japanese, Chinese, Korean or Russian', () => {
  let relay: TestRelay;
  let token: string;
  const portalId = '6640001';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const post = (raw: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: Buffer.from(raw, 'utf8'),
    });
  const body = `Salesforce org API limit exceeded.\r\nhttps://app.hubspot.com/integrations-settings/${portalId}/installed`;
  const forward = (ownSubject: string, ownDate: string, block: string[], note: string) =>
    [
      'From: Admin <admin@example.com>',
      `Subject: =?UTF-8?B?${Buffer.from(ownSubject).toString('base64')}?=`,
      `Message-ID: <${Math.random().toString(36).slice(2)}@example.com>`,
      `Date: ${ownDate}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      note,
      '',
      ...block,
      '',
      body,
      '',
    ].join('\r\n');

  test('is read as the notice it quotes: its subject, its date, and one change with the notice sent straight', async () => {
    const direct = await post(
      [
        'From: HubSpot <noreply@notifications.hubspot.com>',
        `Subject: ${SUBJECT}`,
        'Message-ID: <direct-cjk@notifications.hubspot.com>',
        'Date: Mon, 30 Nov 2026 08:15:42 +0000',
        'Content-Type: text/plain; charset=utf-8',
        '',
        body,
        '',
      ].join('\r\n'),
    );
    expect(direct.statusCode).toBe(202);
    const changeId = direct.json().change.id;

    const forwards = [
      forward(
        `FW: ${SUBJECT}`,
        'Mon, 30 Nov 2026 18:00:00 +0900',
        [
          '差出人: HubSpot <noreply@notifications.hubspot.com>',
          '送信日時: 2026年11月30日 17:15',
          '宛先: admin@example.co.jp',
          `件名: ${SUBJECT}`,
        ],
        'ご確認ください。',
      ),
      forward(
        `转发: ${SUBJECT}`,
        'Mon, 30 Nov 2026 17:00:00 +0800',
        [
          '发件人: HubSpot <noreply@notifications.hubspot.com>',
          '发送时间: 2026年11月30日 16:15',
          '收件人: admin@example.cn',
          `主题: ${SUBJECT}`,
        ],
        '请查看。',
      ),
      forward(
        `전달: ${SUBJECT}`,
        'Mon, 30 Nov 2026 18:00:00 +0900',
        [
          '보낸 사람: HubSpot <noreply@notifications.hubspot.com>',
          '보낸 날짜: 2026년 11월 30일 월요일 오후 5:15',
          '받는 사람: admin@example.kr',
          `제목: ${SUBJECT}`,
        ],
        '확인 부탁드립니다.',
      ),
      forward(
        `Пересл: ${SUBJECT}`,
        'Mon, 30 Nov 2026 12:00:00 +0300',
        [
          'От: HubSpot <noreply@notifications.hubspot.com>',
          'Отправлено: 30 ноября 2026 г. 11:15',
          'Кому: admin@example.ru',
          `Тема: ${SUBJECT}`,
        ],
        'Посмотрите, пожалуйста.',
      ),
    ];
    for (const raw of forwards) {
      const response = await post(raw);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        duplicate: true,
        change: { id: changeId, title: SUBJECT },
      });
    }
  });
});

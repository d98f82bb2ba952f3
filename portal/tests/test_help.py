"""The help (よくあるご質問) answers punch, payslip and request questions as well as 2FA ones,
and ends with the company's 問い合わせ先."""


def test_help_answers_punch_payslip_and_request_questions(client):
    page = client.get("/help/").content.decode()
    for anchor, question in [("punch-mistake", "打刻を間違えた・打刻し忘れた"), ("punch-twice", "打刻ボタンを2回押してしまいました"),
                             ("payslip-when", "給与明細はいつ見られますか"), ("payslip-print", "給与明細を印刷・保存できますか"),
                             ("requests", "休暇・残業・打刻修正はどこから申請しますか"),
                             ("forms", "引っ越し・扶養家族・振込口座の変更はどう届け出ますか"),
                             ("contact", "困ったときの問い合わせ先")]:
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page and question in page
    assert "<h1>よくあるご質問</h1>" in page
    assert 'id="company-contact"' in page


def test_the_everyday_questions_come_first(client):
    """Punching, payslips and requests are what most people come for: on a phone they are not
    below the fourteen 2FA questions, in the contents or in the answers."""
    page = client.get("/help/").content.decode()
    assert page.index('href="#punch-mistake"') < page.index('href="#q1"')
    assert page.index('id="punch-mistake"') < page.index('id="request-status"') < page.index('id="q1"')
    assert page.index('id="passkeys"') < page.index('id="contact"'), "the 問い合わせ先 stays last"

"""Sentence shapes that hold personal names, as case notes, call logs and counter records write them.

One shape per line. `{N1}` is a person (`{F1}` a woman, `{M1}` a man; the same number is
the same person), `{P1}` a phone in any form (`{PM1}` domestic mobile, `{PL1}` domestic
landline, `{PI1}` international, `{PX1}` landline with an extension), `{C1}` a card,
`{I1}` an identity number, `{E1}` an e-mail address and `{A1}` an address. Unnumbered
slots are filled afresh each time and never marked: `{LOC}` a place, `{ORG}` an agency,
`{ROAD}` a road named as a place, `{ISSUE}` a complaint, and the numbers of
`freetext_traps` (`{CASE}`, `{DATE}`, `{AMT}`, `{WATER}` ...).

Most shapes put no title or label beside the name: that is how staff and citizens write,
and what a scanner keyed to 先生 or 聯絡人 misses. `CUED` holds the shapes that do.
"""

from __future__ import annotations

BARE = """
{N1}表示{LOC}一帶{ISSUE}，希望儘快派員查看。
請轉告{N1}回電{P1}。
{N1}的帳單有誤，{METER}，和上期差很多。
{N1}和鄰居都停水，整排{QTY}受影響。
由{N1}代為申請過戶，附上{DOC}影本。
{N1}、{N2}兩戶的水表都在後巷，抄表員進不去。
已與{N1}聯繫，約{DATE}{TIME}到場。
{N1}於上午來電，反映{ISSUE}。
轉交{N1}處理，案件編號{CASE}。
{DATE} {TIME} 來電：{N1}說{ROAD}{ISSUE}。
「{N1}」這個名字是前屋主的，想改成自己的。
水費單改寄給{N1}，地址{A1}。
{N1}今天又打來，說{ISSUE}的問題還沒解決。
承辦同仁回覆{N1}，預計{DATE}前完成修復。
{N1}說家裡{ISSUE}，{N2}家也一樣。
住在{A1}的{N1}反映{ISSUE}。
{N1}12月起改用自動扣繳，卡號{C1}。
請{N1}方便時回電{PM1}。
{N1}高興地說水壓恢復了，謝謝大家。
通知{N1}周邊道路{DATE}封閉施工。
{N1}常常在{LOC}工作，白天不在家，請{TIME}後再聯絡。
{N1}曾經申請減免，這次又來補件。
查{N1}名下共有{QTY}，水號{WATER}。
{N1}陳述：{ISSUE}已經兩個禮拜了。
{N1}楊梅的老家也是台水供水，想一起辦。
這件由{N1}負責追蹤，{N2}協助現場。
現場由{N1}帶領查看，發現{PIPE}管線破裂。
與{N1}約好{TIME}在{LOC}碰面。
{N1}要求寄紙本帳單，不要簡訊。
退費匯到{N1}的帳戶，{AMT}。
已請{N1}提供{DATE}的繳費收據。
{N1}、{N2}及{N3}三人聯名反映{ROAD}{ISSUE}。
{N1}不滿意處理結果，要求主管回覆。
下午{N1}到{ORG}詢問，被轉介到本處。
回電給{N1}時無人接聽，改撥{PL1}也沒人接。
{N1}家的水表在{ROAD}，連續兩期都沒抄到。
本案{N1}已同意改期，{DATE}再施工。
感謝{N1}協助通報，{LOC}的漏水已經修好。
{N1}說：「{ISSUE}，你們到底什麼時候來修？」
值班人員交代：「請{N1}先把總開關關起來。」
已和{F1}確認過，她{DATE}才搬進來。
{M1}說他家的水表被車撞歪了，已經漏了{DUR}。
請{N1}、{N2}於{DATE}前補齊文件。
本案聯繫窗口改為{N1}。
申請書上簽字的是{N1}。
{N1}，75歲，獨居，{ISSUE}，請優先處理。
{N1}和{N2}住同一棟，兩戶都沒水。
已寄信給{N1}（{E1}）說明計費方式。
{N1} {PM1} {LOC} 水表不轉
{N1}/{PM1}/{ISSUE}
轉知{N1}：{DATE}停水{DUR}。
經查{N1}並未欠費，是系統誤發催繳通知。
請{N1}攜帶身分證正本到{ORG}辦理。
{N1}簽收了工程通知，共三張。
施工廠商與{N1}協調後，改在{TIME}以後施工。
這戶原本登記{N1}，現在要改成{N2}。
{N1}對{ORG}的回覆不滿，再次來電。
下週一{N1}會再打{HOT}確認。
{N1}要辦停用，最後一期{AMT}刷卡{C1}。
{N1} {I1} {C1} 申請代繳
轉帳失敗，{N1}改用{C1}繳費。
昨天{N1}帶著繳費單來，銷帳編號{BILL}。
{N1}抱怨{ORG}和本處互踢皮球。
{N1}十點多又來電催修。
據{N1}描述，{ISSUE}從{DATE}開始。
派工單：{DATE} {LOC} 會同{N1}勘查。
請{N1}把{PIPE}的閥門先關上。
{N1}正在{LOC}出差，資料請寄{E1}。
{N1}跟{N2}都說那支水表是自己的。
已向{N1}說明水費的計算方式。
留言給{F1}，請她收到後回撥{PX1}。
表後管線屬用戶自行維護，已告知{N1}。
這是{N1}第三次來電。
{N1}2次申請都被退件，很不高興。
根據{N1}提供的照片，{ROAD}確實有積水。
黃昏時{N1}在{LOC}散步，發現路面冒水。
林務局的人說要找{N1}談水源保護區的事。
金額有誤，{N1}要求重算。
請{N1}簽名後傳真到{PL1}。
送到{N1}手上時已經超過繳費期限{DATE}。
將{N1}列為優先聯絡對象，{PM1}。
經{N1}同意，水表移到{ROAD}。
{N1}陸續寄來好幾張照片。
{N1}許多次反映都沒有下文。
{N1}江邊那塊地要申請臨時用水。
{N1}周末才在家，請改約週六{TIME}。
{N1}高樓層的水塔一天要補水好幾次。
{N1}方便的時間是{TIME}到{TIME}。
{N1}石門的別墅水費單寄錯地址。
{N1}金山老家的水表要過戶給{N2}。
{N1}常說水有漂白水味。
{N1}陳年欠費已經繳清，{AMT}。
{N1}曾說過屋內管線是自己換的。
{N1}管理的社區共{QTY}，想申請總表。
{N1}簡單說明後就掛斷了。
{N1}連續三天都來櫃台。
{N1}溫和地表示願意等候。
感謝{N1}。
麻煩{N1}提供水號，系統查不到{WATER}。
{N1}說{N2}上個月已經搬走了。
幫{N1}申請的減免已經核准，{DOC}。
{N1}，{PM1}，{ISSUE}。
{N1}：{ISSUE}
回覆{N1}。
原來是{N1}家的水塔浮球壞了。
{N1}在{ORG}上班，只能中午接電話。
{DATE}{N1}到場確認，表前漏水。
{N1}用{E1}寄來申訴信。
{N1}打{HOT}打不進來，改打{PX1}。
{N1}人在國外，留的電話是{PI1}。
請致電{N1} {PI1}（時差六小時）。
{N1}跟{N2}、{N3}一起來辦過戶。
水表遷移的費用{AMT}由{N1}支付。
{N1}的母親年紀大了，請直接打給{N1}。
"""

CUED = """
陳情人{N1}反映{ISSUE}。
聯絡人：{N1}，電話：{P1}
申請人 {N1} 身分證字號 {I1}
{M1}先生來電表示{ISSUE}。
{F1}小姐來電詢問{AMT}的帳單。
{F1}女士說{LOC}的房子{ISSUE}。
{F1}太太中午來櫃台繳費。
戶名：{N1}　水號：{WATER}
用戶{N1}表示{ISSUE}，{PM1}。
姓名：{N1} 電話：{P1} 地址：{A1}
報案人{N1}，{PM1}，{ROAD}{ISSUE}
民眾{N1}來電，{ISSUE}。
住戶{N1}同意讓施工人員進入。
屋主{N1}要求恢復原狀。
里長{N1}協助通知{LOC}住戶。
來電者{N1}，回電{PL1}。
代理人：{N1}（{I1}）
持卡人{N1}，卡號{C1}，有效期限{EXP}
{N1}（用戶）說{ISSUE}。
承辦人{N1}，分機 305
申請人為{N1}，地址{A1}。
「{M1}先生」在電話裡很生氣。
{F1} 小姐 {PM1}
{N1}里長說{LOC}{ISSUE}。
陳情人：{N1}　e-mail：{E1}
姓名 {N1}　身分證 {I1}　電話 {P1}
"""
